import { Unauthorized } from '../../errors';
import type { Principal, Rights } from '../access';

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
 * Checks verified claims against the identity the call claims (claimsMap) and the configured
 * rules, and returns the principal with its rights. Every refusal names the claim and the fix.
 */
export function principalFromClaims(claims: Claims, claimed: ClaimedIdentity, rules: ClaimRules): Principal {
  const refuse = (why: string) => { throw new Unauthorized('invalid', why); };
  if (claims.typ !== undefined && claims.typ !== 'Bearer') {
    refuse(`the token is a Keycloak "${String(claims.typ)}" token, not an access token (typ "Bearer"): send the access_token`);
  }
  const user = claims.preferred_username;
  if (typeof user !== 'string' || user === '') refuse('the token has no preferred_username: the realm\'s "profile" scope (username mapper) must be in the access token');
  if (user !== claimed.userName) {
    refuse(`the token's preferred_username "${String(user)}" is not claimsMap.userName "${claimed.userName}"`);
  }
  if (rules.gatewayClaim) {
    const g = claims[rules.gatewayClaim];
    if (g !== claimed.gatewayId) {
      refuse(`the token's "${rules.gatewayClaim}" claim is ${JSON.stringify(g ?? null)}, not claimsMap.gatewayID "${claimed.gatewayId}"`);
    }
  }
  if (rules.authorizedParties.length > 0 && !rules.authorizedParties.includes(claims.azp as string)) {
    refuse(`the token was issued to client ${JSON.stringify(claims.azp ?? null)}, not one of ${rules.authorizedParties.join(', ')} (MSCHED_API_OIDC_AUTHORIZED_PARTIES)`);
  }
  return { gatewayId: claimed.gatewayId, userName: claimed.userName, rights: rightsOf(rolesOf(claims, rules.rolesClient), rules) };
}
