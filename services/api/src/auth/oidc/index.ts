export { createOidcAuthorizer, OidcConfigError } from './oidc-authorizer';
export { principalFromClaims, rightsOf, rolesOf } from './claims';
export { parseDiscovery, RealmDirectory } from './discovery';
export { IdentityCache } from './identity-cache';
export { issuerOf, realmOf } from './realms';
export { ACCEPTED_ALGORITHMS, verifyAccessJwt } from './verify-jwt';
export type { OidcAuthorizerOptions, OidcSettings } from './oidc-authorizer';
export type { ClaimRules, ClaimedIdentity } from './claims';
export type { RealmEndpoints } from './discovery';
