/**
 * What a verified identity's roles allow (Keycloak tokens). The API's development modes (static,
 * hmac, none) leave it unset: their caller is a trusted peer scoped by gateway only.
 */
export interface Rights {
  /** May launch and terminate its own experiments. */
  use: boolean;
  /** May read every experiment of its gateway (read-only admins and admins). */
  readAll: boolean;
  /** Gateway admin: everything in its gateway, including others' experiments and operations. */
  admin: boolean;
  /** Why `use` is false, in words an operator can act on (names the roles that would grant it). */
  useDenied?: string;
}

/** Who is calling, as far as the token tells. */
export interface Principal {
  /** Set when the token is limited to one gateway. */
  gatewayId?: string;
  userName?: string;
  rights?: Rights;
}

export type Action = 'launch' | 'validate' | 'read' | 'terminate' | 'operate';

/** The experiment a call is about: its gateway and (when known) the user who launched it. */
export interface Target {
  gatewayId: string;
  ownerUserName?: string;
}

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

const allow: AccessDecision = { allowed: true };
const deny = (reason: string): AccessDecision => ({ allowed: false, reason });

/**
 * The authorization rule, pure: gateway scope first, then (for role-carrying identities) ownership
 * and roles. A user sees and terminates only their own experiments; read-only admins read all of
 * their gateway's and change nothing; admins do everything within their gateway.
 */
export function decideAccess(p: Principal, action: Action, target: Target): AccessDecision {
  if (p.gatewayId !== undefined && p.gatewayId !== target.gatewayId) {
    return deny(`the token is for gateway "${p.gatewayId}", not "${target.gatewayId}"`);
  }
  const r = p.rights;
  if (!r) return allow;
  const who = `user "${p.userName ?? '?'}"`;
  const own = target.ownerUserName !== undefined && target.ownerUserName === p.userName;
  const notOwn = `the experiment belongs to user "${target.ownerUserName ?? '?'}", not ${who}`;
  switch (action) {
    case 'launch':
      if (!own) return deny(`${notOwn}: the experiment's userName must be the token's preferred_username`);
      if (r.admin || r.use) return allow;
      return deny(`${who} may not launch experiments in gateway "${target.gatewayId}": ${r.useDenied ?? 'no role allows it'}`);
    case 'validate':
      if (own || r.readAll || r.admin) return allow;
      return deny(notOwn);
    case 'read':
      if (own || r.readAll || r.admin) return allow;
      return deny(`${notOwn}; only the gateway's admins and read-only admins read others' experiments`);
    case 'terminate':
      if (r.admin) return allow;
      if (!own) return deny(`${notOwn}; only the gateway's admins terminate others' experiments`);
      if (r.use) return allow;
      return deny(`${who} may not terminate experiments in gateway "${target.gatewayId}": ${r.useDenied ?? 'no role allows it'}`);
    case 'operate':
      if (r.admin) return allow;
      return deny(`${who} is not an admin of gateway "${target.gatewayId}"`);
  }
}
