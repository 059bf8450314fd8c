export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** 0..1: how much of each delay is randomized, so many relays do not retry in lockstep. */
  jitter: number;
}

/**
 * Delay before retry number `failures` (1 = after the first failure): doubling from initialMs,
 * capped at maxMs, the top `jitter` fraction randomized.
 */
export function backoffDelay(failures: number, p: BackoffPolicy, random: () => number = Math.random): number {
  const exp = Math.min(p.maxMs, p.initialMs * 2 ** Math.max(0, failures - 1));
  return Math.round(exp * (1 - p.jitter) + exp * p.jitter * random());
}
