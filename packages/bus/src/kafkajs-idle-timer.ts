/**
 * kafkajs 2.2.4 (its last release) keeps a 1 ms timer running on every broker connection while
 * nothing is pending: RequestQueue.scheduleCheckPendingRequests arms setTimeout(throttledUntil -
 * now), which is negative when nothing throttles, and the timer re-arms itself when it fires. An
 * idle service woke ~1,000 times a second per connection, about 3 % of a core (bench:pipeline's
 * idle figure). With nothing pending and no throttle there is nothing for that timer to do: a
 * request that has to wait is pushed with pending > 0 and schedules the check as before, and every
 * answered request checks the queue itself.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: RequestQueueInternals };

interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests(): void;
  /** Set once by this module so it never wraps twice. */
  idleTimerFixed?: boolean;
}

export function fixKafkajsIdleTimer(): void {
  const proto = RequestQueue.prototype;
  if (proto.idleTimerFixed) return;
  const original = proto.scheduleCheckPendingRequests;
  proto.scheduleCheckPendingRequests = function (this: RequestQueueInternals) {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    original.call(this);
  };
  proto.idleTimerFixed = true;
}

/** The request queue class, for the regression test. */
export const KafkajsRequestQueue = RequestQueue as unknown as new (o: Record<string, unknown>) => { pending: unknown[]; throttleCheckTimeoutId: unknown; scheduleCheckPendingRequests(): void; destroy(): void };
