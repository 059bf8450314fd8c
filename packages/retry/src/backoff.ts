/**
 * Capped exponential backoff with jitter, as pure functions so every worker (Mesos reconnects,
 * explicit reconciliation, stage retries) shares one tested policy.
 */
export interface BackoffPolicy {
  /** Delay before the first retry. */
  readonly initialMs: number;
  /** No delay is ever longer than this (jitter included). */
  readonly maxMs: number;
  /** Growth per attempt; 2 doubles. */
  readonly multiplier: number;
  /**
   * Fraction of the delay that is randomised, 0..1. With 0.2 the delay lies in [0.8·d, 1.2·d]
   * (capped), so replicas that lost the same master do not reconnect in lock-step.
   */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000, multiplier: 2, jitter: 0.2 };

export function validateBackoffPolicy(p: BackoffPolicy): string[] {
  const problems: string[] = [];
  if (!(p.initialMs > 0)) problems.push(`initialMs must be > 0, got ${p.initialMs}`);
  if (!(p.maxMs >= p.initialMs)) problems.push(`maxMs (${p.maxMs}) must be >= initialMs (${p.initialMs})`);
  if (!(p.multiplier >= 1)) problems.push(`multiplier must be >= 1, got ${p.multiplier}`);
  if (!(p.jitter >= 0 && p.jitter <= 1)) problems.push(`jitter must be within 0..1, got ${p.jitter}`);
  return problems;
}

/**
 * Delay before retry number `attempt` (0-based). `random` returns [0, 1); inject it to make tests
 * deterministic.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const n = Math.max(0, Math.floor(attempt));
  // Cap the exponent's result before multiplying out to keep huge attempt numbers finite.
  const base = Math.min(policy.maxMs, policy.initialMs * Math.pow(policy.multiplier, Math.min(n, 1000)));
  const spread = base * policy.jitter;
  const delay = base - spread + random() * 2 * spread;
  return Math.round(Math.min(policy.maxMs, Math.max(0, delay)));
}

/** Counts attempts for one retry loop; `reset()` after a success. */
export class Backoff {
  private attempt = 0;
  constructor(private readonly policy: BackoffPolicy = DEFAULT_BACKOFF, private readonly random: () => number = Math.random) {
    const problems = validateBackoffPolicy(policy);
    if (problems.length) throw new RangeError(`invalid backoff policy: ${problems.join('; ')}`);
  }

  /** The delay to wait now; each call moves to the next attempt. */
  next(): number {
    return backoffDelay(this.attempt++, this.policy, this.random);
  }

  /** How many delays were handed out since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}
