import type { AgentStanding } from './reconcile';
import type { AgentRecord } from './records';
import type { RegistryEntry } from './registry';

/** An agent no longer admitted: when it left, under which hostname. */
export interface LeftAgent {
  readonly hostname: string;
  readonly since: number;
}

/**
 * The agents a master knows, by standing: admitted (registered, link open or not), recovering
 * (admitted by the registry before a failover, not re-registered yet), unreachable and gone.
 * Bookkeeping only, and the registry's content: AgentLifecycle and the coordinator (MasterCore)
 * decide what happens.
 */
export class AgentBook {
  private readonly admitted = new Map<string, AgentRecord>();
  private readonly recovering = new Map<string, RegistryEntry>();
  private readonly unreachable = new Map<string, LeftAgent>();
  private readonly gone = new Map<string, LeftAgent>();
  private seq = 0;

  constructor(private readonly idPrefix: string) {}

  get(id: string): AgentRecord | undefined {
    return this.admitted.get(id);
  }

  all(): AgentRecord[] {
    return [...this.admitted.values()];
  }

  isGone(id: string): boolean {
    return this.gone.has(id);
  }

  get anyRecovering(): boolean {
    return this.recovering.size > 0;
  }

  standing(id: string): AgentStanding {
    if (this.admitted.has(id)) return 'registered';
    if (this.recovering.has(id)) return 'recovering';
    if (this.unreachable.has(id)) return 'unreachable';
    if (this.gone.has(id)) return 'gone';
    return 'unknown';
  }

  /** An id for an agent registering without one: `<master id>-S0`, `-S1`, ... */
  nextId(): string {
    return `${this.idPrefix}-S${this.seq++}`;
  }

  /** Admits an agent; true when the registry knew it (recovering or unreachable). */
  admit(agent: AgentRecord): boolean {
    this.admitted.set(agent.id, agent);
    return this.recovering.delete(agent.id) || this.unreachable.delete(agent.id);
  }

  /** Takes in the registry after an election; returns how many agents are expected back. */
  recover(entries: readonly RegistryEntry[], now: number): number {
    for (const e of entries) {
      if (e.state === 'admitted' && !this.admitted.has(e.id)) this.recovering.set(e.id, e);
      else if (e.state === 'unreachable') this.unreachable.set(e.id, { hostname: e.hostname, since: now });
      else if (e.state === 'gone') this.gone.set(e.id, { hostname: e.hostname, since: now });
    }
    return this.recovering.size;
  }

  /** The agents that did not re-register in time become unreachable; returns them. */
  expireRecovering(now: number): RegistryEntry[] {
    const late = [...this.recovering.values()];
    for (const e of late) this.unreachable.set(e.id, { hostname: e.hostname, since: now });
    this.recovering.clear();
    return late;
  }

  /** Removes an admitted agent as unreachable or gone; returns it, or undefined when it was not admitted. */
  remove(id: string, how: 'unreachable' | 'gone', now: number): AgentRecord | undefined {
    const agent = this.admitted.get(id);
    if (!agent) return undefined;
    this.admitted.delete(id);
    (how === 'gone' ? this.gone : this.unreachable).set(id, { hostname: agent.hostname, since: now });
    return agent;
  }

  /** An unreachable agent declared gone by the operator; false when it is not unreachable. */
  unreachableToGone(id: string, now: number): boolean {
    const u = this.unreachable.get(id);
    if (!u) return false;
    this.unreachable.delete(id);
    this.gone.set(id, { hostname: u.hostname, since: now });
    return true;
  }

  /** What the registry keeps: every agent with its standing. */
  registryEntries(): RegistryEntry[] {
    return [
      ...this.all().map((a) => ({ id: a.id, hostname: a.hostname, state: 'admitted' as const })),
      ...[...this.recovering.values()].map((e) => ({ ...e, state: 'admitted' as const })),
      ...[...this.unreachable].map(([id, u]) => ({ id, hostname: u.hostname, state: 'unreachable' as const })),
      ...[...this.gone].map(([id, g]) => ({ id, hostname: g.hostname, state: 'gone' as const })),
    ];
  }

  recoveringList(): RegistryEntry[] {
    return [...this.recovering.values()];
  }

  unreachableList(): Array<{ id: string } & LeftAgent> {
    return [...this.unreachable].map(([id, u]) => ({ id, ...u }));
  }

  goneList(): Array<{ id: string } & LeftAgent> {
    return [...this.gone].map(([id, g]) => ({ id, ...g }));
  }
}
