/** What terminating an experiment in `state` means. */
export type TerminationDecision =
  | { kind: 'cancel' }
  /** Already being canceled or canceled: nothing more to do (terminating twice is harmless). */
  | { kind: 'already'; state: string }
  /** It ended on its own: there is nothing to terminate. */
  | { kind: 'finished'; state: string };

export function decideTermination(experimentState: string): TerminationDecision {
  if (experimentState === 'CANCELING' || experimentState === 'CANCELED') return { kind: 'already', state: experimentState };
  if (experimentState === 'COMPLETED' || experimentState === 'FAILED') return { kind: 'finished', state: experimentState };
  return { kind: 'cancel' };
}
