import type https from 'node:https';
import { createRemoteJWKSet, JWTVerifyGetKey } from 'jose';
import { IdentityError } from './errors';
import { getJson } from './http-json';
import { issuerOf } from './realms';

/** What the API needs of one realm, from its discovery document. */
export interface RealmEndpoints {
  realm: string;
  issuer: string;
  jwksUri: string;
  userinfoEndpoint?: string;
  /** The realm's key set: cached, refetched on an unknown kid at most once per cooldown. */
  keys: JWTVerifyGetKey;
}

export interface DiscoverySettings {
  url: string;
  httpTimeoutMs: number;
  jwksCooldownSeconds: number;
  jwksMaxAgeSeconds: number;
  agent?: https.Agent;
}

/** Checks a discovery document and names what is wrong with it. */
export function parseDiscovery(doc: unknown, expectedIssuer: string): { jwksUri: string; userinfoEndpoint?: string } {
  const d = (doc ?? {}) as Record<string, unknown>;
  if (d.issuer !== expectedIssuer) {
    throw new Error(`the realm reports issuer ${JSON.stringify(d.issuer)}, expected "${expectedIssuer}": MSCHED_API_OIDC_URL must be the URL Keycloak puts in its tokens (its KC_HOSTNAME)`);
  }
  if (typeof d.jwks_uri !== 'string' || d.jwks_uri === '') throw new Error('the discovery document has no jwks_uri');
  return { jwksUri: d.jwks_uri, userinfoEndpoint: typeof d.userinfo_endpoint === 'string' ? d.userinfo_endpoint : undefined };
}

/**
 * Each realm's discovery document (<issuer>/.well-known/openid-configuration), fetched once and
 * kept. A failed fetch is remembered for the cooldown so a down Keycloak is not hammered by every
 * call; calls meanwhile fail as retriable system errors.
 */
export class RealmDirectory {
  private readonly known = new Map<string, Promise<RealmEndpoints>>();
  private readonly failed = new Map<string, { at: number; error: IdentityError }>();

  constructor(private readonly s: DiscoverySettings, private readonly now: () => number = Date.now) {}

  endpoints(realm: string): Promise<RealmEndpoints> {
    const f = this.failed.get(realm);
    if (f && this.now() - f.at < this.s.jwksCooldownSeconds * 1000) return Promise.reject(f.error);
    let p = this.known.get(realm);
    if (!p) {
      p = this.discover(realm);
      this.known.set(realm, p);
      p.then(() => this.failed.delete(realm), (error: IdentityError) => {
        this.known.delete(realm);
        this.failed.set(realm, { at: this.now(), error });
      });
    }
    return p;
  }

  private async discover(realm: string): Promise<RealmEndpoints> {
    const issuer = issuerOf(this.s.url, realm);
    const where = `${issuer}/.well-known/openid-configuration`;
    let parsed: { jwksUri: string; userinfoEndpoint?: string };
    try {
      const r = await getJson(where, { timeoutMs: this.s.httpTimeoutMs, agent: this.s.agent });
      if (r.status === 404) throw new Error(`HTTP 404: Keycloak has no realm "${realm}" (check MSCHED_API_OIDC_GATEWAY_REALMS / MSCHED_API_OIDC_DEFAULT_REALM)`);
      if (r.status !== 200) throw Object.assign(new Error(`HTTP ${r.status}`), { retriable: r.status >= 500 });
      parsed = parseDiscovery(r.body, issuer);
    } catch (e) {
      const retriable = (e as { retriable?: boolean }).retriable ?? /cannot reach|did not answer/.test((e as Error).message);
      throw IdentityError.unavailable(`cannot use Keycloak realm "${realm}" (${where}): ${(e as Error).message}`, retriable, e);
    }
    const keys = createRemoteJWKSet(new URL(parsed.jwksUri), {
      timeoutDuration: this.s.httpTimeoutMs,
      cooldownDuration: this.s.jwksCooldownSeconds * 1000,
      cacheMaxAge: this.s.jwksMaxAgeSeconds * 1000,
      ...(this.s.agent && parsed.jwksUri.startsWith('https:') ? { agent: this.s.agent } : {}),
    });
    return { realm, issuer, jwksUri: parsed.jwksUri, userinfoEndpoint: parsed.userinfoEndpoint, keys };
  }
}
