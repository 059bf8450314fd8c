import type { TaskRef } from '@msched/gang';

/**
 * KILLs that may need sending again (pure): a KILL can be lost with an agent or a master failover,
 * and a task still alive `retryMs` after our last KILL gets another one.
 */
export class KillRetry {
  private readonly sent = new Map<string, { ref: TaskRef; at: number }>();

  constructor(private readonly retryMs: number) {}

  sentNow(refs: readonly TaskRef[], now: number): void {
    for (const ref of refs) this.sent.set(ref.taskId, { ref, at: now });
  }

  /** The task ended (or is gone): no more kills for it. */
  ended(taskId: string): void {
    this.sent.delete(taskId);
  }

  /** Kills to send again now; their clock restarts. */
  due(now: number): TaskRef[] {
    const out: TaskRef[] = [];
    for (const [id, s] of this.sent) {
      if (now - s.at < this.retryMs) continue;
      out.push(s.ref);
      this.sent.set(id, { ref: s.ref, at: now });
    }
    return out;
  }

  get size(): number {
    return this.sent.size;
  }
}
