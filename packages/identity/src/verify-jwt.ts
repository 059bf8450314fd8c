import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { IdentityError } from './errors';
import type { RealmEndpoints } from './discovery';

/** Keycloak signs with RS256 by default, ES256 when the realm says so; nothing else is accepted. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'] as const;

export interface JwtRules {
  audience: readonly string[];
  clockSkewSeconds: number;
}

function peek<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** Turns jose's failure into a refusal (or, for key-fetch trouble, a retriable fault) with its reason. */
function explain(e: unknown, token: string, realm: RealmEndpoints, rules: JwtRules): Error {
  const header = peek(() => decodeProtectedHeader(token));
  const payload = peek(() => decodeJwt(token));
  if (e instanceof errors.JWTExpired) {
    const exp = typeof payload?.exp === 'number' ? ` at ${new Date(payload.exp * 1000).toISOString()}` : '';
    return IdentityError.unauthenticated('expired', `the access token expired${exp} (${rules.clockSkewSeconds} s clock skew allowed): get a new one from Keycloak`);
  }
  if (e instanceof errors.JOSEAlgNotAllowed) {
    return IdentityError.unauthenticated('invalid', `the token's algorithm ${JSON.stringify(header?.alg ?? null)} is not accepted (only ${ACCEPTED_ALGORITHMS.join(', ')})`);
  }
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'iss') {
      return IdentityError.unauthenticated('invalid', `the token was issued by ${JSON.stringify(payload?.iss ?? null)}, but this gateway's realm "${realm.realm}" is ${realm.issuer}: a token of another realm or gateway`);
    }
    if (e.claim === 'aud') {
      return IdentityError.unauthenticated('invalid', `the token's audience ${JSON.stringify(payload?.aud ?? null)} is not one of ${rules.audience.join(', ')} (MSCHED_API_OIDC_AUDIENCE; add an audience mapper in Keycloak)`);
    }
    return IdentityError.unauthenticated('invalid', `the token's "${e.claim}" claim is not acceptable: ${e.reason}`);
  }
  if (e instanceof errors.JWKSNoMatchingKey) {
    return IdentityError.unauthenticated('invalid', `realm "${realm.realm}" publishes no key ${JSON.stringify(header?.kid ?? null)} for ${JSON.stringify(header?.alg ?? null)} (keys are refetched at most once per cooldown; a token signed elsewhere?)`);
  }
  if (e instanceof errors.JWKSMultipleMatchingKeys) {
    return IdentityError.unauthenticated('invalid', `realm "${realm.realm}" publishes several keys matching the token and the token names none (kid)`);
  }
  if (e instanceof errors.JWSSignatureVerificationFailed) {
    return IdentityError.unauthenticated('invalid', `the token's signature does not verify with realm "${realm.realm}"'s key ${JSON.stringify(header?.kid ?? null)}: forged or altered`);
  }
  // jose's generic error (code ERR_JOSE_GENERIC) comes from fetching the key set (HTTP status, bad JSON).
  const keyFetch = e instanceof errors.JOSEError && e.code === 'ERR_JOSE_GENERIC';
  if (e instanceof errors.JWKSTimeout || e instanceof errors.JWKSInvalid || keyFetch || !(e instanceof errors.JOSEError)) {
    return IdentityError.unavailable(`cannot fetch realm "${realm.realm}"'s keys from ${realm.jwksUri}: ${(e as Error)?.message ?? String(e)}`, !(e instanceof errors.JWKSInvalid), e);
  }
  // JWSInvalid, JWTInvalid and the rest: not a well-formed signed token.
  return IdentityError.unauthenticated('invalid', `the access token is not a well-formed signed JWT (${(e as Error).message}): send Keycloak's access_token`);
}

/**
 * Verifies a Keycloak access token locally: signature by one of the realm's published keys with an
 * accepted algorithm, issuer = the realm, expiry and not-before with skew, audience when configured.
 * Returns the claims; refuses with the reason otherwise.
 */
export async function verifyAccessJwt(token: string, realm: RealmEndpoints, rules: JwtRules): Promise<Record<string, unknown>> {
  // A token of another realm is refused before any key lookup: its unknown kid must not make us
  // refetch this realm's keys, and the reason is clearer. (The unverified claim only ever refuses.)
  const claimedIssuer = peek(() => decodeJwt(token))?.iss;
  if (claimedIssuer !== undefined && claimedIssuer !== realm.issuer) {
    throw IdentityError.unauthenticated('invalid', `the token was issued by ${JSON.stringify(claimedIssuer)}, but this gateway's realm "${realm.realm}" is ${realm.issuer}: a token of another realm or gateway`);
  }
  try {
    const { payload } = await jwtVerify(token, realm.keys, {
      issuer: realm.issuer,
      algorithms: [...ACCEPTED_ALGORITHMS],
      clockTolerance: rules.clockSkewSeconds,
      requiredClaims: ['exp'],
      ...(rules.audience.length > 0 ? { audience: [...rules.audience] } : {}),
    });
    return payload as Record<string, unknown>;
  } catch (e) {
    throw explain(e, token, realm, rules);
  }
}
