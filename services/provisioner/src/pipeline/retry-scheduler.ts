import type { DataSource } from 'typeorm';
import { withTransaction } from '@msched/db';
import type { Logger } from '@msched/logging';
import { markQueued, queueStage, takeDueRetries } from '@msched/stage-runs';

/**
 * Delayed redelivery: re-queues (through the outbox) the stage runs whose retry time has come.
 * Several provisioners may run it at once: rows are taken with SKIP LOCKED, each exactly once.
 */
export class RetryScheduler {
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(private readonly ds: DataSource, private readonly logger: Logger, private readonly pollMs: number, private readonly onQueued?: () => void) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.pollMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    try {
      const n = await withTransaction(this.ds, async (tx) => {
        const due = await takeDueRetries(tx, 100);
        for (const r of due) {
          await queueStage(tx, r.work);
          await markQueued(tx, r.id);
        }
        return due.length;
      });
      if (n) {
        this.logger.info(`re-queued ${n} stage run(s) whose retry time came`);
        this.onQueued?.();
      }
      return n;
    } catch (e) {
      this.logger.warn(`retry scheduler: ${(e as Error).message}`);
      return 0;
    } finally {
      this.busy = false;
    }
  }
}
