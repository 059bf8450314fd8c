import type { ReconcileTarget } from '@msched/mesos';
import { backoffDelay, type BackoffPolicy } from '@msched/retry';

/**
 * Explicit reconciliation bookkeeping (pure): which tasks still wait for an answer since the last
 * SUBSCRIBED, and how long to wait before asking again. Any update about a task answers it. A
 * master still waiting for agents to re-register answers nothing about their tasks, so rounds
 * repeat with a growing delay until every task has been heard of.
 */
export class ReconcileTracker {
  private readonly pending = new Map<string, ReconcileTarget>();
  private round = 0;

  constructor(private readonly policy: BackoffPolicy, private readonly random: () => number = Math.random) {}

  /** A new subscription: these tasks must be heard of again. */
  begin(tasks: readonly ReconcileTarget[]): void {
    this.pending.clear();
    this.round = 0;
    for (const t of tasks) this.pending.set(t.taskId, t);
  }

  /** Adds tasks to the current round (an update we failed to record, say). */
  add(tasks: readonly ReconcileTarget[]): void {
    for (const t of tasks) this.pending.set(t.taskId, t);
  }

  answered(taskId: string): void {
    this.pending.delete(taskId);
  }

  unanswered(): ReconcileTarget[] {
    return [...this.pending.values()];
  }

  get done(): boolean {
    return this.pending.size === 0;
  }

  /** Delay before the next round; each call moves to the next round. */
  nextDelayMs(): number {
    return backoffDelay(this.round++, this.policy, this.random);
  }
}
