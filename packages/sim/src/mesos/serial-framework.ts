import type { Offer } from '@msched/mesos/protocol';
import type { SimMaster } from './sim-master';

/** A deterministic pseudo-random stream (mulberry32): same seed, same workload. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SerialWorkload {
  /** Share of the cluster's cpus the serial stream keeps busy on average (0.1 = 10 %). */
  readonly load: number;
  /** Mean run time of a serial task (exponential), seconds. */
  readonly meanRunSeconds: number;
  readonly seed: number;
}

interface SerialTask {
  readonly id: number;
  readonly submitMs: number;
  readonly runMs: number;
}

/**
 * A second framework on the same master, the kind a shared Mesos cluster has: a stream of one-cpu
 * serial tasks (Poisson arrivals, exponential run times) that takes whatever offers it gets, declines
 * the rest with Mesos' default 5 s filter, SUPPRESSes when it has nothing to run and REVIVEs when work
 * arrives. The centralized baselines have no such neighbour.
 */
export class SerialFramework {
  static readonly ID = 'serial-fw';
  readonly role = 'serial';
  private readonly queue: SerialTask[] = [];
  private readonly rand: () => number;
  private seq = 0;
  private readonly meanGapMs: number;
  readonly stats = { submitted: 0, started: 0, totalWaitMs: 0, maxWaitMs: 0 };

  constructor(private readonly master: SimMaster, private readonly w: SerialWorkload, totalCpus: number) {
    this.rand = seededRandom(w.seed);
    // Little's law: busy cpus = arrival rate × mean run time.
    this.meanGapMs = (w.meanRunSeconds * 1000) / (w.load * totalCpus);
    master.subscribe(SerialFramework.ID, this.role, true);
  }

  private exp(meanMs: number): number {
    return Math.max(1, Math.round(-Math.log(1 - this.rand()) * meanMs));
  }

  /** Time of the next arrival after `now`. */
  nextArrival(now: number): number {
    return now + this.exp(this.meanGapMs);
  }

  arrive(now: number): void {
    this.queue.push({ id: this.seq++, submitMs: now, runMs: this.exp(this.w.meanRunSeconds * 1000) });
    this.stats.submitted++;
    if (this.queue.length === 1) this.master.revive(SerialFramework.ID);
  }

  /** Launches queued tasks on the offers; returns (taskId, end time) pairs to schedule. */
  offers(offers: readonly Offer[], now: number): Array<{ taskId: string; endAt: number }> {
    const ends: Array<{ taskId: string; endAt: number }> = [];
    for (const o of offers) {
      let cpus = o.resources.find((r) => r.name === 'cpus')?.scalar?.value ?? 0;
      const tasks = [];
      while (this.queue.length && cpus >= 1) {
        const t = this.queue.shift()!;
        cpus -= 1;
        const taskId = `serial-${t.id}`;
        tasks.push({ taskId, agentId: o.agent_id.value, cpus: 1, mem: 1024 });
        ends.push({ taskId, endAt: now + t.runMs });
        const wait = now - t.submitMs;
        this.stats.started++;
        this.stats.totalWaitMs += wait;
        if (wait > this.stats.maxWaitMs) this.stats.maxWaitMs = wait;
      }
      if (tasks.length) this.master.accept(SerialFramework.ID, [o.id.value], tasks, 5, now);
      else this.master.decline(SerialFramework.ID, [o.id.value], 5, now);
    }
    if (this.queue.length === 0) this.master.suppress(SerialFramework.ID);
    return ends;
  }
}
