import { IdentityError } from './errors';

export interface RealmSettings {
  /** Keycloak base URL (no trailing slash needed). */
  url: string;
  defaultRealm: string;
  gatewayRealms: Record<string, string>;
}

/** The Keycloak realm whose tokens a gateway's calls must carry; refuses gateways without one. */
export function realmOf(s: RealmSettings, gatewayId: string): string {
  const realm = Object.prototype.hasOwnProperty.call(s.gatewayRealms, gatewayId) ? s.gatewayRealms[gatewayId] : s.defaultRealm;
  if (!realm) {
    throw IdentityError.forbidden(`gateway "${gatewayId}" has no Keycloak realm here: add ${gatewayId}=<realm> to MSCHED_API_OIDC_GATEWAY_REALMS`);
  }
  return realm;
}

/** Keycloak's issuer of a realm: <base>/realms/<realm>. */
export function issuerOf(baseUrl: string, realm: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/realms/${encodeURIComponent(realm)}`;
}

/**
 * The realm of an issuer under the configured Keycloak (<base>/realms/<realm>); undefined for an
 * issuer elsewhere. Only ever used to pick the keys a token is then verified with (issuer included).
 */
export function realmOfIssuer(baseUrl: string, issuer: unknown): string | undefined {
  if (typeof issuer !== 'string') return undefined;
  const prefix = `${baseUrl.replace(/\/+$/, '')}/realms/`;
  if (!issuer.startsWith(prefix)) return undefined;
  const rest = issuer.slice(prefix.length);
  if (rest === '' || rest.includes('/')) return undefined;
  try {
    return decodeURIComponent(rest);
  } catch {
    return undefined;
  }
}

/** Whether a realm serves any gateway here (named in the map, or the default realm). */
export function isConfiguredRealm(s: RealmSettings, realm: string): boolean {
  return realm === s.defaultRealm || Object.values(s.gatewayRealms).includes(realm);
}

/** The gateways mapped to a realm by name (MSCHED_API_OIDC_GATEWAY_REALMS), in map order. */
export function gatewaysOfRealm(s: RealmSettings, realm: string): string[] {
  return Object.entries(s.gatewayRealms).filter(([, r]) => r === realm).map(([g]) => g);
}
