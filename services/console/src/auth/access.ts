import { AccessDecision, Action, decideAccess, Target } from '@msched/identity';
import type { ConsolePrincipal } from './authenticator';

/**
 * What a console user may do to one job: a Keycloak user as decideAccess says (their gateway only;
 * their own experiments unless a (read-only) admin; operate only as an admin); a static token as
 * its kind (the operator everything, the viewer reading only).
 */
export function consoleAccess(p: ConsolePrincipal, action: Action, target: Target): AccessDecision {
  if (p.identity) return decideAccess(p.identity, action, target);
  if (action === 'read' || p.canOperate) return { allowed: true };
  return { allowed: false, reason: 'this token may only read: cancel and replay need the operator token' };
}

/**
 * The rows a principal may list: all (static tokens), their gateway's (admins and read-only
 * admins), or their own experiments in their gateway (users).
 */
export interface ListScope {
  gatewayId?: string;
  userName?: string;
}

export function listScope(p: ConsolePrincipal): ListScope {
  const id = p.identity;
  if (!id) return {};
  if (id.rights?.readAll || id.rights?.admin) return { gatewayId: id.gatewayId };
  return { gatewayId: id.gatewayId, userName: id.userName };
}

/** Whether a row of (gateway, user) is inside the scope. */
export function inScope(s: ListScope, row: { gatewayId: string; userName: string }): boolean {
  return (s.gatewayId === undefined || s.gatewayId === row.gatewayId) && (s.userName === undefined || s.userName === row.userName);
}

/** Whether the scope limits nothing (a static token): then no row needs its owner looked up. */
export function isWholeScope(s: ListScope): boolean {
  return s.gatewayId === undefined && s.userName === undefined;
}
