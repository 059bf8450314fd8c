import * as identity from '@msched/identity';
import { asApiErrors, toApiError } from './identity-errors';

export { createOidcAuthorizer, OidcConfigError } from './oidc-authorizer';
export { toApiError } from './identity-errors';
export { rightsOf, rolesOf, parseDiscovery, RealmDirectory, IdentityCache, issuerOf, ACCEPTED_ALGORITHMS } from '@msched/identity';
export type { ClaimRules, ClaimedIdentity, RealmEndpoints } from '@msched/identity';
export type { OidcAuthorizerOptions, OidcSettings } from './oidc-authorizer';

/** As @msched/identity's, refusing with the API's Unauthorized. */
export const principalFromClaims = asApiErrors(identity.principalFromClaims);
/** As @msched/identity's, refusing with the API's Unauthorized. */
export const realmOf = asApiErrors(identity.realmOf);

/** As @msched/identity's, refusing with the API's errors. */
export async function verifyAccessJwt(...a: Parameters<typeof identity.verifyAccessJwt>): ReturnType<typeof identity.verifyAccessJwt> {
  try {
    return await identity.verifyAccessJwt(...a);
  } catch (e) {
    throw toApiError(e);
  }
}
