import { timingSafeEqual, createHash } from 'node:crypto';
import type { AuthzToken } from '@msched/airavata-thrift';
import { Unauthorized } from '../errors';
import { TokenError, verifyToken } from '@msched/access-token';

import type { Principal } from '@msched/identity';

export type { Principal } from './access';

export type AuthMode = 'oidc' | 'none' | 'static' | 'hmac';

/** Checks a call's token; the oidc authorizer answers asynchronously (it may fetch realm keys). */
export type Authorizer = (token: AuthzToken | null | undefined) => Principal | Promise<Principal>;

/** Airavata puts these claims in AuthzToken.claimsMap. */
const GATEWAY_CLAIM = 'gatewayID';
const USER_CLAIM = 'userName';

function claim(token: AuthzToken | null | undefined, key: string): string | undefined {
  const v = token?.claimsMap?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Checks AuthzToken.accessToken:
 * - static: equals the configured secret (Airavata's orchestrator as a trusted peer); the gateway
 *   and user come from claimsMap.
 * - hmac: an HS256 token signed with the secret; gateway and user come from its signed claims.
 * - none: anything passes (development); claimsMap still scopes the gateway.
 */
export function createAuthorizer(mode: Exclude<AuthMode, 'oidc'>, secret: string, now: () => number = Date.now): Authorizer {
  if (mode !== 'none' && secret === '') throw new Error(`MSCHED_API_AUTH_MODE=${mode} needs MSCHED_API_AUTH_SECRET`);
  const secretDigest = digest(secret);
  return (token) => {
    if (mode === 'none') return { gatewayId: claim(token, GATEWAY_CLAIM), userName: claim(token, USER_CLAIM) };
    const access = token?.accessToken;
    if (typeof access !== 'string' || access === '') throw new Unauthorized('missing', 'no access token: set AuthzToken.accessToken');
    if (mode === 'static') {
      // Comparing digests keeps the comparison constant-time whatever the lengths.
      if (!timingSafeEqual(digest(access), secretDigest)) throw new Unauthorized('invalid', 'access token is not valid');
      return { gatewayId: claim(token, GATEWAY_CLAIM), userName: claim(token, USER_CLAIM) };
    }
    try {
      const c = verifyToken(secret, access, now());
      return { gatewayId: c.gateway, userName: c.sub };
    } catch (e) {
      if (e instanceof TokenError) throw new Unauthorized(e.failure, `access token refused: ${e.message}`);
      throw e;
    }
  };
}

/** Refuses a principal limited to another gateway than the one an experiment belongs to. */
export function requireGateway(p: Principal, gatewayId: string): void {
  if (p.gatewayId !== undefined && p.gatewayId !== gatewayId) {
    throw new Unauthorized('forbidden', `the token is for gateway "${p.gatewayId}", not "${gatewayId}"`);
  }
}
