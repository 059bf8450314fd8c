import type { Logger } from '@msched/logging';
import type { ReconcileTarget } from '@msched/mesos';
import { ReconcileTracker } from './reconcile-tracker';

export interface ReconcileSender {
  reconcile(tasks: readonly ReconcileTarget[]): Promise<void>;
  isSubscribed(): boolean;
}

export interface ReconcilerOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly implicitEveryMs: number;
  readonly logger: Logger;
}

/**
 * Reconciliation as mesos-v1.md asks: after every SUBSCRIBED, explicitly for every task not known
 * to have ended, again and again with backoff until each has been heard of; and implicitly (empty
 * RECONCILE: the master reports every task it knows) on a timer, which also reveals tasks we do
 * not know (they get killed by the update handler).
 */
export class Reconciler {
  private readonly tracker: ReconcileTracker;
  private timer?: NodeJS.Timeout;
  private implicitTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly sender: ReconcileSender, private readonly o: ReconcilerOptions) {
    this.tracker = new ReconcileTracker({ initialMs: o.initialMs, maxMs: Math.max(o.maxMs, o.initialMs), multiplier: 2, jitter: 0.2 });
  }

  /** A new subscription: ask about these tasks now, and keep asking until each is answered. */
  begin(tasks: readonly ReconcileTarget[]): void {
    this.tracker.begin(tasks);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.o.logger.info(`reconciling ${tasks.length} task(s) not known to have ended`);
    void this.round();
    this.armImplicit();
  }

  /** An update we could not record: ask for the task's state again later. */
  add(tasks: readonly ReconcileTarget[]): void {
    this.tracker.add(tasks);
    if (!this.timer && !this.stopped) this.schedule();
  }

  answered(taskId: string): void {
    if (this.tracker.done) return;
    this.tracker.answered(taskId);
    if (this.tracker.done) this.o.logger.info('reconciliation complete: the master answered for every task');
  }

  unanswered(): ReconcileTarget[] {
    return this.tracker.unanswered();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.implicitTimer) clearInterval(this.implicitTimer);
    this.timer = undefined;
    this.implicitTimer = undefined;
  }

  private async round(): Promise<void> {
    this.timer = undefined;
    if (this.stopped || this.tracker.done) return;
    const tasks = this.tracker.unanswered();
    if (this.sender.isSubscribed()) {
      try {
        await this.sender.reconcile(tasks);
      } catch (e) {
        this.o.logger.warn(`explicit reconciliation of ${tasks.length} task(s) failed: ${(e as Error).message}`);
      }
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.tracker.done || this.timer) return;
    this.timer = setTimeout(() => void this.round(), this.tracker.nextDelayMs());
    this.timer.unref();
  }

  private armImplicit(): void {
    if (this.implicitTimer || this.stopped) return;
    this.implicitTimer = setInterval(() => {
      if (!this.sender.isSubscribed()) return;
      this.sender.reconcile([]).catch((e: Error) => this.o.logger.warn(`implicit reconciliation failed: ${e.message}`));
    }, this.o.implicitEveryMs);
    this.implicitTimer.unref();
  }
}
