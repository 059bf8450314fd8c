/**
 * What the master's ERROR event asks of us. "Framework has been removed": our FrameworkID is
 * retired (torn down, or away longer than failover_timeout), so register anew. "Framework failed
 * over": another scheduler subscribed with our id, so this replica must not act as leader any more.
 */
export type FrameworkErrorAction = 'register-anew' | 'step-down';

export function actionForFrameworkError(message: string): FrameworkErrorAction {
  return /has been removed|framework.*removed|completed framework/i.test(message) ? 'register-anew' : 'step-down';
}
