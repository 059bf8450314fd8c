import { Db, insertLaunches, isRetriableDbError } from '@msched/db';
import type { Logger } from '@msched/logging';
import { InternalFault } from '../errors';
import type { LaunchPlan } from './plan';
import { LaunchOutcome, recordLaunch, repeatedLaunch } from './record-launch';

export interface LaunchBatcherOptions {
  db: Db;
  logger: Logger;
  /** Most launches written by one statement. */
  maxBatch: number;
  /** Statements in flight at once; launches arriving meanwhile wait and go together in the next. */
  maxInFlight: number;
  /** How long a launch may wait for others before its statement goes (0: no waiting when a slot is free). */
  lingerMs: number;
}

interface Waiting {
  plan: LaunchPlan;
  resolve: (o: LaunchOutcome) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit of launches: launches that arrive while earlier ones are being written go to
 * PostgreSQL together, as one statement and so one transaction and one commit, shared by all.
 * Each caller is answered only once that statement committed, with its own outcome. A batch whose
 * statement fails (one bad launch: a process id taken by another experiment) wrote nothing, and its
 * launches are then recorded one by one, so each gets its own answer or error and the bad one
 * fails alone.
 */
export class LaunchBatcher {
  private readonly queue: Waiting[] = [];
  private inFlight = 0;
  private lingering?: NodeJS.Timeout;
  private scheduled = false;

  constructor(private readonly o: LaunchBatcherOptions) {}

  record(plan: LaunchPlan): Promise<LaunchOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ plan, resolve, reject });
      this.schedule();
    });
  }

  /** Launches accepted but not yet written (a gauge for operators; 0 when idle). */
  get pending(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.queue.length >= this.o.maxBatch) {
      this.drain();
      return;
    }
    if (this.o.lingerMs > 0) {
      this.lingering ??= setTimeout(() => { this.lingering = undefined; this.drain(); }, this.o.lingerMs);
      return;
    }
    // Calls decoded from the same socket reads arrive in one turn of the event loop: take them together.
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => { this.scheduled = false; this.drain(); });
  }

  private drain(): void {
    while (this.inFlight < this.o.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.drain();
      });
    }
  }

  /** The next batch: at most maxBatch, one launch per experiment id (a repeat waits for the next). */
  private take(): Waiting[] {
    const batch: Waiting[] = [];
    const ids = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < this.o.maxBatch;) {
      const w = this.queue[i];
      if (ids.has(w.plan.ids.experimentId)) { i++; continue; }
      ids.add(w.plan.ids.experimentId);
      batch.push(w);
      this.queue.splice(i, 1);
    }
    return batch;
  }

  private async write(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) {
      await this.one(batch[0]);
      return;
    }
    let created: boolean[];
    try {
      created = await insertLaunches(this.o.db, batch.map((w) => w.plan.launch));
    } catch (e) {
      this.o.logger.debug(`a batch of ${batch.length} launches failed as one (${(e as Error).message}): recording them one by one`);
      await Promise.all(batch.map((w) => this.one(w)));
      return;
    }
    await Promise.all(batch.map(async (w, i) => {
      if (created[i]) {
        w.resolve({ ...w.plan.ids, created: true });
        return;
      }
      try {
        w.resolve(await repeatedLaunch(this.o.db, w.plan));
      } catch (e) {
        w.reject(e);
      }
    }));
  }

  private async one(w: Waiting): Promise<void> {
    try {
      w.resolve(await recordLaunch(this.o.db, w.plan));
    } catch (e) {
      w.reject(e instanceof Error ? e : new InternalFault(String(e), isRetriableDbError(e), e));
    }
  }
}
