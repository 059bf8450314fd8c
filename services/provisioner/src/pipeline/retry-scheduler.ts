import type { DataSource } from 'typeorm';
import { withTransaction } from '@msched/db';
import type { Logger } from '@msched/logging';
import { markQueued, nextRetryDueInMs, queueStage, takeDueRetries } from '@msched/stage-runs';

/**
 * Delayed redelivery: re-queues (through the outbox) the stage runs whose retry time has come.
 * It sleeps until the earliest retry time it knows of, so an idle provisioner does no work; the
 * runner wakes it when it schedules a retry, and `pollMs` bounds the sleep so that retries scheduled
 * by other provisioners (or left by one that died) are found too.
 * Several provisioners may run it at once: rows are taken with SKIP LOCKED, each exactly once.
 */
export class RetryScheduler {
  private timer?: NodeJS.Timeout;
  private busy?: Promise<number>;
  private again = false;
  private stopped = false;

  constructor(private readonly ds: DataSource, private readonly logger: Logger, private readonly pollMs: number, private readonly onQueued?: () => void) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** A retry was scheduled (or may have come due): look now, then sleep until the next one. */
  wake(): void {
    if (this.stopped) return;
    void this.tick();
  }

  /** Re-queues the due retries; returns how many. */
  async tick(): Promise<number> {
    if (this.busy) {
      this.again = true;
      return 0;
    }
    this.busy = this.pass();
    try {
      return await this.busy;
    } finally {
      this.busy = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    }
  }

  private async pass(): Promise<number> {
    let next = this.pollMs;
    try {
      const { n, dueInMs } = await withTransaction(this.ds, async (tx) => {
        const due = await takeDueRetries(tx, 100);
        for (const r of due) {
          await queueStage(tx, r.work);
          await markQueued(tx, r.id);
        }
        return { n: due.length, dueInMs: await nextRetryDueInMs(tx) };
      });
      if (n) {
        this.logger.info(`re-queued ${n} stage run(s) whose retry time came`);
        this.onQueued?.();
      }
      // A full batch may have left more due rows: look again at once. A due row this pass did not
      // get is being taken by another provisioner: look again soon, not in a tight loop.
      next = n === 100 ? 0 : Math.max(50, Math.min(this.pollMs, dueInMs ?? this.pollMs));
      return n;
    } catch (e) {
      this.logger.warn(`retry scheduler: ${(e as Error).message}`);
      return 0;
    } finally {
      this.arm(next);
    }
  }

  private arm(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref?.();
  }
}
