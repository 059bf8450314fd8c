import type { Me } from './api';

/**
 * What the signed-in user may do, as the page shows it. The server decides every action in the
 * end; the page only offers the buttons that would be allowed. Keycloak users (oidc) carry rights
 * from their roles; static tokens are the operator (everything) or the viewer (reading only).
 */

/** The role in words: "user", "read-only admin", "admin"; static tokens: "operator" or "read-only". */
export function roleOf(me: Me): string {
  const r = me.rights;
  if (!r) return me.canOperate ? 'operator' : 'read-only';
  if (r.admin) return 'admin';
  if (r.readAll) return 'read-only admin';
  return r.use ? 'user' : 'read-only';
}

/** The top bar's "who": "alice @ seagrid — user" for Keycloak users, "viewer (read-only)" for the static viewer. */
export function whoLabel(me: Me): string {
  if (!me.rights) return me.canOperate ? me.name : `${me.name} (read-only)`;
  const user = me.userName ?? me.name;
  return `${me.gatewayId ? `${user} @ ${me.gatewayId}` : user} — ${roleOf(me)}`;
}

/** What the role allows, for the label's tooltip. */
export function rightsInWords(me: Me): string {
  const r = me.rights;
  if (!r) return me.canOperate ? 'may cancel any job and replay dead letters' : 'may read only';
  if (r.admin) return 'sees every job of the gateway, may cancel any of them and replay dead letters';
  if (r.readAll) return 'sees every job of the gateway, changes nothing';
  return r.use ? 'sees and cancels own jobs; replay is for the gateway\'s admins' : 'sees own jobs, changes nothing (no role allows launching or canceling)';
}

/** Whether the page offers Cancel on a job: operators and gateway admins on any, users on their own. */
export function mayCancel(me: Me, job: { userName: string; gatewayId: string }): boolean {
  const r = me.rights;
  if (!r) return me.canOperate;
  if (me.gatewayId != null && me.gatewayId !== job.gatewayId) return false;
  return r.admin || (r.use && me.userName === job.userName);
}

/** Whether the page offers Replay on dead letters: the operate right (operator token, gateway admins). */
export function mayReplay(me: Me): boolean {
  return me.rights ? me.rights.admin : me.canOperate;
}
