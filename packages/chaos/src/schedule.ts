import { between, pick, seededRng } from './rng';

/** Every fault the harness can inject. */
export const FAULT_KINDS = [
  'kill-api', 'kill-provisioner', 'kill-dispatcher', 'kill-leader-dispatcher', 'master-failover', 'kill-agent',
  'kafka-outage', 'zk-outage', 'pg-restart', 'stream-cut', 'delay-updates', 'duplicate-updates',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ScheduledFault {
  /** Milliseconds after the workload starts. */
  atMs: number;
  kind: FaultKind;
  /** Which replica (0/1) or agent (0..agents-1) it strikes, where that matters. */
  target: number;
  /** Killed processes come back after this long; outages (Kafka, ZooKeeper, delays, duplicates) last this long. */
  durationMs: number;
}

export interface ScheduleOptions {
  seed: number;
  durationMs: number;
  /** Faults per minute. */
  rate: number;
  kinds: readonly FaultKind[];
  agents: number;
}

/** How long each kind keeps its target away (min, max ms): killed services restart after a short delay, outages last longer. */
const DURATION: Record<FaultKind, [number, number]> = {
  'kill-api': [500, 4000], 'kill-provisioner': [500, 4000], 'kill-dispatcher': [500, 4000], 'kill-leader-dispatcher': [500, 4000],
  'master-failover': [1000, 5000], 'kill-agent': [1000, 5000],
  'kafka-outage': [5000, 20000], 'zk-outage': [3000, 12000], 'pg-restart': [500, 3000],
  'stream-cut': [0, 0], 'delay-updates': [5000, 15000], 'duplicate-updates': [5000, 15000],
};

/**
 * The fault schedule of a run, pure: the same options give the same list. Faults are spread over
 * the workload's first 85 % (one per equal slot, at a random point in it) so that the end of the
 * run lets the system settle; kinds and targets are drawn from the seeded generator.
 */
export function faultSchedule(o: ScheduleOptions): ScheduledFault[] {
  if (!(o.durationMs > 0)) throw new Error(`duration must be positive, got ${o.durationMs}`);
  if (!(o.rate >= 0)) throw new Error(`rate must be >= 0, got ${o.rate}`);
  if (o.kinds.length === 0) return [];
  const rng = seededRng(o.seed);
  const count = Math.round((o.rate * o.durationMs) / 60_000);
  const span = o.durationMs * 0.85;
  const slot = count ? span / count : 0;
  const out: ScheduledFault[] = [];
  for (let i = 0; i < count; i++) {
    const atMs = Math.round(i * slot + rng() * slot);
    const kind = pick(rng, o.kinds);
    const target = kind === 'kill-agent' ? between(rng, 0, o.agents - 1) : between(rng, 0, 1);
    const [lo, hi] = DURATION[kind];
    out.push({ atMs, kind, target, durationMs: between(rng, lo, hi) });
  }
  return out;
}
