import { Action, decideAccess, Principal, Target } from '@msched/identity';
import { Unauthorized } from '../errors';

// The rule itself lives in @msched/identity, shared with the console.
export { decideAccess } from '@msched/identity';
export type { AccessDecision, Action, Principal, Rights, Target } from '@msched/identity';

/** Throws the refusal (an AuthorizationException on the wire) when the decision is no. */
export function requireAccess(p: Principal, action: Action, target: Target): void {
  const d = decideAccess(p, action, target);
  if (!d.allowed) throw new Unauthorized('forbidden', d.reason);
}
