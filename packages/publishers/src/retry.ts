import { backoffDelay } from '@msched/retry';

/**
 * How a channel retries the message its broker did not confirm. Pure, except `sleep`.
 *
 * The loop retries inside the Kafka handler for `windowMs`, then gives the message back to the
 * consumer (which redelivers it after its own backoff): the window stays well below the consumer
 * group's session timeout, since no heartbeat is sent while a handler runs.
 */
export interface RetryPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly windowMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialMs: 200, maxMs: 2000, windowMs: 15_000 };

/** Delay before attempt `attempt + 1` (attempt counts from 1): doubling from initialMs, capped at maxMs, no jitter. */
export function retryDelay(attempt: number, policy: RetryPolicy): number {
  return backoffDelay(attempt - 1, { initialMs: policy.initialMs, maxMs: policy.maxMs, multiplier: 2, jitter: 0 });
}

/** Resolves after `ms`, or at once when `signal` aborts (the caller then checks why it woke). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
