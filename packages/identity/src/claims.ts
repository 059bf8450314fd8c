import type { Principal, Rights } from './access';
import { IdentityError } from './errors';

/** How claims become an identity with rights (the MSCHED_API_OIDC_* role settings). */
export interface ClaimRules {
  gatewayClaim: string;
  rolesClient: string;
  authorizedParties: readonly string[];
  adminRoles: readonly string[];
  readOnlyAdminRoles: readonly string[];
  userRoles: readonly string[];
}

/** The identity the call says it acts for: Airavata's claimsMap.gatewayID and claimsMap.userName. */
export interface ClaimedIdentity {
  gatewayId: string;
  userName: string;
}

type Claims = Record<string, unknown>;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * Keycloak's role and group claims: realm_access.roles, resource_access.<client>.roles of the
 * configured client, and "groups" (group paths, leading "/" dropped, so "/admins" counts as "admins").
 */
export function rolesOf(claims: Claims, rolesClient: string): string[] {
  const realm = strings((claims.realm_access as Claims | undefined)?.roles);
  const client = rolesClient ? strings(((claims.resource_access as Record<string, Claims> | undefined)?.[rolesClient])?.roles) : [];
  const groups = strings(claims.groups).map((g) => g.replace(/^\/+/, ''));
  return [...new Set([...realm, ...client, ...groups])];
}

export function rightsOf(roles: readonly string[], r: Pick<ClaimRules, 'adminRoles' | 'readOnlyAdminRoles' | 'userRoles'>): Rights {
  const has = (wanted: readonly string[]) => wanted.some((w) => roles.includes(w));
  const admin = has(r.adminRoles);
  const readOnlyAdmin = has(r.readOnlyAdminRoles);
  // Without configured user roles every realm user may work, as Airavata's "gateway-user" default,
  // but a read-only admin stays read-only unless a user role is configured and held.
  const use = admin || (r.userRoles.length > 0 ? has(r.userRoles) : !readOnlyAdmin);
  let useDenied: string | undefined;
  if (!use) {
    useDenied = r.userRoles.length > 0
      ? `the token holds none of the roles or groups ${r.userRoles.join(', ')} (MSCHED_API_OIDC_USER_ROLES)`
      : `a read-only admin (${r.readOnlyAdminRoles.join(', ')}) changes nothing`;
  }
  return { admin, readAll: admin || readOnlyAdmin, use, useDenied };
}

/**
 * The checks every verified access token passes whoever it is for: an access token (typ "Bearer")
 * naming its user (and, for a call that claims a user, that user). Returns preferred_username.
 */
function checkAccessToken(claims: Claims, claimedUser?: string): string {
  const refuse = (why: string): never => { throw IdentityError.unauthenticated('invalid', why); };
  if (claims.typ !== undefined && claims.typ !== 'Bearer') {
    refuse(`the token is a Keycloak "${String(claims.typ)}" token, not an access token (typ "Bearer"): send the access_token`);
  }
  const user = claims.preferred_username;
  if (typeof user !== 'string' || user === '') return refuse('the token has no preferred_username: the realm\'s "profile" scope (username mapper) must be in the access token');
  if (claimedUser !== undefined && user !== claimedUser) {
    refuse(`the token's preferred_username "${user}" is not claimsMap.userName "${claimedUser}"`);
  }
  return user;
}

function checkAuthorizedParty(claims: Claims, rules: ClaimRules): void {
  if (rules.authorizedParties.length > 0 && !rules.authorizedParties.includes(claims.azp as string)) {
    throw IdentityError.unauthenticated('invalid', `the token was issued to client ${JSON.stringify(claims.azp ?? null)}, not one of ${rules.authorizedParties.join(', ')} (MSCHED_API_OIDC_AUTHORIZED_PARTIES)`);
  }
}

/**
 * Checks verified claims against the identity the call claims (Airavata's claimsMap) and the
 * configured rules, and returns the principal with its rights. Every refusal names the claim and the fix.
 */
export function principalFromClaims(claims: Claims, claimed: ClaimedIdentity, rules: ClaimRules): Principal {
  checkAccessToken(claims, claimed.userName);
  if (rules.gatewayClaim) {
    const g = claims[rules.gatewayClaim];
    if (g !== claimed.gatewayId) {
      throw IdentityError.unauthenticated('invalid', `the token's "${rules.gatewayClaim}" claim is ${JSON.stringify(g ?? null)}, not claimsMap.gatewayID "${claimed.gatewayId}"`);
    }
  }
  checkAuthorizedParty(claims, rules);
  return { gatewayId: claimed.gatewayId, userName: claimed.userName, rights: rightsOf(rolesOf(claims, rules.rolesClient), rules) };
}

/**
 * For a caller that has only the token (the console's login): the user is the token's
 * preferred_username. Returns it and, when MSCHED_API_OIDC_GATEWAY_CLAIM is set, the token's gateway.
 */
export function userOfClaims(claims: Claims, rules: ClaimRules): { userName: string; claimedGateway?: string } {
  const userName = checkAccessToken(claims);
  checkAuthorizedParty(claims, rules);
  if (!rules.gatewayClaim) return { userName };
  const g = claims[rules.gatewayClaim];
  if (typeof g !== 'string' || g === '') {
    throw IdentityError.unauthenticated('invalid', `the token has no "${rules.gatewayClaim}" claim (MSCHED_API_OIDC_GATEWAY_CLAIM): it names no gateway`);
  }
  return { userName, claimedGateway: g };
}
