import { readFileSync } from 'node:fs';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { AuthzToken } from '@msched/airavata-thrift';
import type { Config } from '@msched/config';
import type { Logger } from '@msched/logging';
import { Unauthorized } from '../../errors';
import type { Principal } from '../access';
import type { Authorizer } from '../authorizer';
import { principalFromClaims } from './claims';
import { RealmDirectory } from './discovery';
import { IdentityCache } from './identity-cache';
import { realmOf } from './realms';
import { userinfoClaims } from './userinfo';
import { verifyAccessJwt } from './verify-jwt';

export type OidcSettings = Config['api']['oidc'];

/** Airavata's claimsMap keys (org.apache.airavata.common.utils.Constants). */
const GATEWAY_CLAIM = 'gatewayID';
const USER_CLAIM = 'userName';

export class OidcConfigError extends Error {
  readonly retriable = false;
}

function claimed(token: AuthzToken | null | undefined, key: string): string {
  const v = token?.claimsMap?.[key];
  if (typeof v !== 'string' || v === '') {
    throw new Unauthorized('missing', `AuthzToken.claimsMap.${key} is missing: Airavata sends the gateway as "${GATEWAY_CLAIM}" and the user as "${USER_CLAIM}"`);
  }
  return v;
}

function agentFor(caFile: string): https.Agent | undefined {
  if (!caFile) return undefined;
  let ca: Buffer;
  try {
    ca = readFileSync(caFile);
  } catch (e) {
    throw new OidcConfigError(`cannot read MSCHED_API_OIDC_CA_FILE: ${(e as Error).message}`);
  }
  // Keep the system CAs and add the operator's.
  return new https.Agent({ ca: [...rootCertificates, ca.toString('utf8')], keepAlive: true });
}

export interface OidcAuthorizerOptions {
  logger?: Logger;
  now?: () => number;
}

/**
 * MSCHED_API_AUTH_MODE=oidc: the call's AuthzToken carries a Keycloak access token of the realm of
 * claimsMap.gatewayID, for the user claimsMap.userName. The token is verified (locally against the
 * realm's keys, or by its userinfo endpoint), its user and gateway matched against claimsMap, and
 * its roles turned into rights. Accepted identities are cached per token; the token itself is
 * never logged nor kept.
 */
export function createOidcAuthorizer(s: OidcSettings, o: OidcAuthorizerOptions = {}): Authorizer {
  if (!s.url) throw new OidcConfigError('MSCHED_API_AUTH_MODE=oidc needs MSCHED_API_OIDC_URL, the Keycloak base URL Airavata uses (e.g. https://iam.example.org/auth)');
  const now = o.now ?? Date.now;
  const agent = agentFor(s.caFile);
  const realms = new RealmDirectory({ url: s.url, httpTimeoutMs: s.httpTimeoutMs, jwksCooldownSeconds: s.jwksCooldownSeconds, jwksMaxAgeSeconds: s.jwksMaxAgeSeconds, agent }, now);
  const cache = new IdentityCache(s.cacheSeconds * 1000, s.cacheEntries, now);
  const log = o.logger;

  return async (token) => {
    const access = token?.accessToken;
    if (typeof access !== 'string' || access === '') throw new Unauthorized('missing', 'no access token: set AuthzToken.accessToken to the user\'s Keycloak access token');
    const gatewayId = claimed(token, GATEWAY_CLAIM);
    const userName = claimed(token, USER_CLAIM);
    const key = IdentityCache.key(access, gatewayId, userName);
    const hit = cache.get(key);
    if (hit) return hit;

    const realm = await realms.endpoints(realmOf(s, gatewayId));
    let claims: Record<string, unknown>;
    let principal: Principal;
    try {
      claims = s.verify === 'userinfo'
        ? await userinfoClaims(access, realm, { timeoutMs: s.httpTimeoutMs, agent })
        : await verifyAccessJwt(access, realm, { audience: s.audience, clockSkewSeconds: s.clockSkewSeconds });
      principal = principalFromClaims(claims, { gatewayId, userName }, s);
    } catch (e) {
      if (e instanceof Unauthorized) log?.info(`token refused for user "${userName}" of gateway "${gatewayId}" (realm ${realm.realm}): ${e.message}`, { gatewayId, userName, realm: realm.realm, refusal: e.failure });
      throw e;
    }
    cache.set(key, principal, typeof claims.exp === 'number' ? claims.exp * 1000 : undefined);
    if (log?.isDebugEnabled()) {
      const r = principal.rights;
      log.debug(`token accepted for user "${userName}" of gateway "${gatewayId}" (realm ${realm.realm}; admin ${r?.admin}, read-all ${r?.readAll}, use ${r?.use})`, { gatewayId, userName, realm: realm.realm });
    }
    return principal;
  };
}
