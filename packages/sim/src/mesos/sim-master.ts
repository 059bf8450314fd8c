import type { ClusterState, Offer, Resource } from '@msched/mesos/protocol';
import type { ClusterShape } from '../cluster/cluster-shape';

/** Memory per cpu of every simulated agent (MB); a rank asks for the same, so memory never binds before cpus. */
export const MEM_MB_PER_CPU = 1024;

interface Agent {
  readonly id: string;
  readonly hostname: string;
  readonly cpus: number;
  readonly mem: number;
  /** Neither offered nor used by a task. */
  freeCpus: number;
  freeMem: number;
  readonly idMessage: { readonly value: string };
  /** The resources of its last offer, reused while it offers the same amounts to the same framework. */
  lastResources: { readonly framework: Framework; readonly cpus: number; readonly mem: number; readonly resources: readonly Resource[] } | undefined;
}

interface Framework {
  readonly id: string;
  readonly role: string;
  suppressed: boolean;
  /** Agent index → time (ms) until which this framework's decline filter keeps the agent from it. */
  readonly filters: Map<number, number>;
  /** cpus offered to or used by this framework (its DRF share's numerator). */
  allocatedCpus: number;
  readonly idMessage: { readonly value: string };
  readonly allocation: { readonly role: string };
}

interface OutstandingOffer {
  readonly framework: Framework;
  readonly agent: number;
  readonly cpus: number;
  readonly mem: number;
}

interface RunningTask {
  readonly framework: Framework;
  readonly agent: number;
  readonly cpus: number;
  readonly mem: number;
}

/** A task to launch from accepted offers. */
export interface SimTask {
  readonly taskId: string;
  readonly agentId: string;
  readonly cpus: number;
  readonly mem: number;
}

export interface SimMasterOptions {
  /** Mesos --allocation_interval (default 1 s). */
  readonly allocationIntervalMs: number;
}

/**
 * The allocator side of a Mesos master, as far as scheduling quality goes: agents of a given size; a
 * batch allocation every interval offering each agent's unallocated resources to one framework (the
 * lowest DRF share first); decline filters per framework and agent; REVIVE (clears the filters,
 * un-suppresses) and SUPPRESS; ACCEPT launches tasks and returns the rest of the offers with the
 * given filter; resources come back when a task ends. No network, no failures: every call succeeds
 * or throws (a bug in the caller).
 */
export class SimMaster {
  private readonly agents: Agent[] = [];
  private readonly byId = new Map<string, number>();
  private readonly frameworks: Framework[] = [];
  private readonly offers = new Map<string, OutstandingOffer>();
  private readonly tasks = new Map<string, RunningTask>();
  private offerSeq = 0;
  /** Earliest time (ms) the next allocation could offer something; undefined when nothing is pending. */
  private wakeAt: number | undefined;
  /** A REVIVE asked for an allocation at once (Mesos runs one right after the call, not at the next interval). */
  private prompt = false;
  readonly counters = { offers: 0, accepts: 0, declines: 0, revives: 0, suppresses: 0, allocations: 0 };

  constructor(readonly shape: ClusterShape, private readonly options: SimMasterOptions) {
    for (let i = 0; i < shape.agents; i++) {
      const id = `agent-${String(i).padStart(5, '0')}`;
      this.byId.set(id, i);
      const mem = shape.cpusPerAgent * MEM_MB_PER_CPU;
      this.agents.push({ id, hostname: `node${String(i).padStart(5, '0')}`, cpus: shape.cpusPerAgent, mem, freeCpus: shape.cpusPerAgent, freeMem: mem, idMessage: { value: id }, lastResources: undefined });
    }
  }

  /** A framework subscribing with one role (offers are made to it from the next allocation). */
  subscribe(frameworkId: string, role: string, suppressed = false): void {
    this.frameworks.push({ id: frameworkId, role, suppressed, filters: new Map(), allocatedCpus: 0, idMessage: { value: frameworkId }, allocation: { role } });
    this.wakeAt = 0;
  }

  /** What /master/state would say (the policy reads capacity from it). */
  clusterState(): ClusterState {
    const none = { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] };
    return {
      masterUrl: 'sim://master',
      agents: this.agents.map((a) => ({
        id: a.id,
        hostname: a.hostname,
        active: true,
        attributes: {},
        total: { cpus: a.cpus, mem: a.mem, disk: 0, gpus: 0, ports: [] },
        used: none,
        offered: none,
        reservedByRole: {},
      })),
    };
  }

  /**
   * When the allocator next has something to do: `now` after a REVIVE, else a multiple of the
   * allocation interval (resources freed by ended tasks or declines wait for the periodic batch, as
   * in Mesos' hierarchical allocator), or undefined.
   */
  nextAllocationAt(now: number): number | undefined {
    if (this.prompt) return now;
    if (this.wakeAt === undefined) return undefined;
    const i = this.options.allocationIntervalMs;
    return Math.max(Math.floor(now / i) * i + i, Math.ceil(this.wakeAt / i) * i);
  }

  /** One batch allocation: offers per framework id. */
  allocate(now: number): Map<string, Offer[]> {
    this.counters.allocations++;
    this.wakeAt = undefined;
    this.prompt = false;
    const out = new Map<string, Offer[]>();
    const total = this.shape.agents * this.shape.cpusPerAgent;
    for (let ai = 0; ai < this.agents.length; ai++) {
      const a = this.agents[ai];
      if (a.freeCpus < 0.01 || a.freeMem < 32) continue;
      let chosen: Framework | undefined;
      for (const f of this.frameworks) {
        if (f.suppressed) continue;
        const until = f.filters.get(ai);
        if (until !== undefined) {
          if (until > now) {
            this.wake(until);
            continue;
          }
          f.filters.delete(ai);
        }
        if (!chosen || f.allocatedCpus / total < chosen.allocatedCpus / total) chosen = f;
      }
      if (!chosen) continue;
      const id = `offer-${++this.offerSeq}`;
      this.offers.set(id, { framework: chosen, agent: ai, cpus: a.freeCpus, mem: a.freeMem });
      chosen.allocatedCpus += a.freeCpus;
      let list = out.get(chosen.id);
      if (!list) out.set(chosen.id, (list = []));
      list.push(this.offerMessage(id, chosen, a));
      a.freeCpus = 0;
      a.freeMem = 0;
      this.counters.offers++;
    }
    return out;
  }

  /** Launches tasks on the offers (all of one framework); what is left of them comes back with a filter. */
  accept(frameworkId: string, offerIds: readonly string[], tasks: readonly SimTask[], refuseSeconds: number, now: number): void {
    this.counters.accepts++;
    const left = new Map<number, { cpus: number; mem: number }>();
    let framework: Framework | undefined;
    for (const id of offerIds) {
      const o = this.takeOffer(frameworkId, id);
      framework = o.framework;
      const l = left.get(o.agent) ?? { cpus: 0, mem: 0 };
      l.cpus += o.cpus;
      l.mem += o.mem;
      left.set(o.agent, l);
    }
    if (!framework) return;
    for (const t of tasks) {
      const ai = this.byId.get(t.agentId);
      const l = ai === undefined ? undefined : left.get(ai);
      if (ai === undefined || !l || l.cpus + 1e-9 < t.cpus || l.mem + 1e-9 < t.mem) {
        throw new Error(`task ${t.taskId} asks ${t.cpus} cpus / ${t.mem} MB on ${t.agentId} beyond the accepted offers`);
      }
      if (this.tasks.has(t.taskId)) throw new Error(`task id ${t.taskId} is already in use`);
      l.cpus -= t.cpus;
      l.mem -= t.mem;
      this.tasks.set(t.taskId, { framework, agent: ai, cpus: t.cpus, mem: t.mem });
    }
    for (const [ai, l] of left) this.giveBack(framework, ai, l.cpus, l.mem, refuseSeconds, now);
  }

  decline(frameworkId: string, offerIds: readonly string[], refuseSeconds: number, now: number): void {
    this.counters.declines++;
    for (const id of offerIds) {
      const o = this.takeOffer(frameworkId, id);
      this.giveBack(o.framework, o.agent, o.cpus, o.mem, refuseSeconds, now);
    }
  }

  /**
   * REVIVE: clears the framework's filters, un-suppresses it, and allocates at once (Mesos'
   * reviveOffers calls generateOffers(), which dispatches an allocation run right away).
   */
  revive(frameworkId: string): void {
    this.counters.revives++;
    const f = this.framework(frameworkId);
    f.filters.clear();
    f.suppressed = false;
    this.wake(0);
    this.prompt = true;
  }

  suppress(frameworkId: string): void {
    this.counters.suppresses++;
    this.framework(frameworkId).suppressed = true;
  }

  /** A task reached a terminal state (finished or killed): its resources are free. Unknown ids are ignored. */
  taskEnded(taskId: string): void {
    const t = this.tasks.get(taskId);
    if (!t) return;
    this.tasks.delete(taskId);
    const a = this.agents[t.agent];
    a.freeCpus += t.cpus;
    a.freeMem += t.mem;
    t.framework.allocatedCpus -= t.cpus;
    this.wake(0);
  }

  /** cpus used by tasks of a framework (for utilization accounting). */
  get outstandingOffers(): number {
    return this.offers.size;
  }

  private takeOffer(frameworkId: string, offerId: string): OutstandingOffer {
    const o = this.offers.get(offerId);
    if (!o) throw new Error(`offer ${offerId} is not outstanding`);
    if (o.framework.id !== frameworkId) throw new Error(`offer ${offerId} belongs to ${o.framework.id}, not ${frameworkId}`);
    this.offers.delete(offerId);
    return o;
  }

  private giveBack(framework: Framework, ai: number, cpus: number, mem: number, refuseSeconds: number, now: number): void {
    const a = this.agents[ai];
    a.freeCpus += cpus;
    a.freeMem += mem;
    framework.allocatedCpus -= cpus;
    if (cpus > 1e-9 && refuseSeconds > 0) {
      const until = now + refuseSeconds * 1000;
      const prev = framework.filters.get(ai);
      if (prev === undefined || prev < until) framework.filters.set(ai, until);
    }
    this.wake(0);
  }

  private wake(at: number): void {
    if (this.wakeAt === undefined || at < this.wakeAt) this.wakeAt = at;
  }

  private framework(id: string): Framework {
    const f = this.frameworks.find((x) => x.id === id);
    if (!f) throw new Error(`framework ${id} is not subscribed`);
    return f;
  }

  /**
   * An offer's message. Messages are read-only, so the parts that repeat (ids, allocation info, and
   * the resources of an agent offered the same amounts again, as a one-cpu agent always is) are
   * shared between offers: a trace makes millions of offers.
   */
  private offerMessage(id: string, f: Framework, a: Agent): Offer {
    let r = a.lastResources;
    if (!r || r.framework !== f || r.cpus !== a.freeCpus || r.mem !== a.freeMem) {
      const alloc = f.allocation;
      const resources: Resource[] = [
        { name: 'cpus', type: 'SCALAR', scalar: { value: a.freeCpus }, allocation_info: alloc },
        { name: 'mem', type: 'SCALAR', scalar: { value: a.freeMem }, allocation_info: alloc },
      ];
      a.lastResources = r = { framework: f, cpus: a.freeCpus, mem: a.freeMem, resources };
    }
    return { id: { value: id }, framework_id: f.idMessage, agent_id: a.idMessage, hostname: a.hostname, allocation_info: f.allocation, resources: r.resources };
  }
}
