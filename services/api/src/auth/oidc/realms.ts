import { Unauthorized } from '../../errors';

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
    throw new Unauthorized('forbidden', `gateway "${gatewayId}" has no Keycloak realm here: add ${gatewayId}=<realm> to MSCHED_API_OIDC_GATEWAY_REALMS`);
  }
  return realm;
}

/** Keycloak's issuer of a realm: <base>/realms/<realm>. */
export function issuerOf(baseUrl: string, realm: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/realms/${encodeURIComponent(realm)}`;
}
