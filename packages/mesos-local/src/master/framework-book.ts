import type { FrameworkInfo, SchedulerEvent } from '../protocol/mesos-types';
import type { CompletedFramework, FrameworkRecord } from './records';

/**
 * The frameworks a master knows: subscribed, disconnected (failover timer running) or recovered
 * from agents, and those removed for good (torn down or out of failover time), which may never
 * come back under their id. Bookkeeping only: the coordinator (MasterCore) and AgentLifecycle
 * (frameworks learnt from agents) decide what happens.
 */
export class FrameworkBook {
  private readonly known = new Map<string, FrameworkRecord>();
  private readonly removed = new Map<string, CompletedFramework>();
  private seq = 0;

  constructor(private readonly idPrefix: string) {}

  get(id: string): FrameworkRecord | undefined {
    return this.known.get(id);
  }

  has(id: string): boolean {
    return this.known.has(id);
  }

  all(): FrameworkRecord[] {
    return [...this.known.values()];
  }

  /** A removed framework: Mesos refuses it forever (SUBSCRIBE, agents' reports, status updates). */
  isRemoved(id: string): boolean {
    return this.removed.has(id);
  }

  completed(): CompletedFramework[] {
    return [...this.removed.values()];
  }

  /** An id for a framework subscribing without one: `<master id>-0000`, `-0001`, ... */
  nextId(): string {
    return `${this.idPrefix}-${String(this.seq++).padStart(4, '0')}`;
  }

  add(fw: FrameworkRecord): void {
    this.known.set(fw.id, fw);
  }

  /** Moves a framework to the removed ones, with when and why. */
  retire(fw: FrameworkRecord, reason: string, removedAt: number): void {
    this.known.delete(fw.id);
    this.removed.set(fw.id, { id: fw.id, info: fw.info, removedAt, reason });
  }

  /** Sends an event on a framework's stream, when it has one. */
  send(frameworkId: string, event: SchedulerEvent): void {
    this.known.get(frameworkId)?.stream?.send(event);
  }

  /** The FrameworkInfo of a known or removed framework (for the state views). */
  infoOf(id: string): FrameworkInfo | undefined {
    return this.known.get(id)?.info ?? this.removed.get(id)?.info;
  }
}
