import type { FairShareConfig } from '@msched/gang';
import { formatShape, totalCpus, type ClusterShape } from '../cluster/cluster-shape';
import { ConservativeScheduler } from '../baselines/conservative';
import { EasyScheduler } from '../baselines/easy';
import { FcfsScheduler } from '../baselines/fcfs';
import { MultifactorScheduler } from '../baselines/multifactor';
import { runPool, type PoolScheduler } from '../baselines/pool-sim';
import { timed, type ScheduleResult } from '../engine/outcome';
import { runMesos, type MesosSimOptions } from '../mesos/run-mesos';
import type { PositionAccuracy } from '../metrics/estimate-accuracy';
import { scheduleMetrics, type ScheduleMetrics } from '../metrics/metrics';
import type { SwfTrace } from '../swf/parse-swf';
import { traceTenants } from '../tenants/trace-tenants';

export type BaselineName = 'fcfs' | 'easy' | 'conservative';
export const ALL_BASELINES: readonly BaselineName[] = ['fcfs', 'easy', 'conservative'];

const BASELINES: Record<BaselineName, () => PoolScheduler> = {
  fcfs: () => new FcfsScheduler(),
  easy: () => new EasyScheduler(),
  conservative: () => new ConservativeScheduler(),
};

export interface CompareOptions {
  readonly baselines?: readonly BaselineName[];
  readonly mesos?: MesosSimOptions;
  /** Only the first N jobs of the trace (quick runs). */
  readonly limit?: number;
  /**
   * Also run our policy with its fair-share order ("ours+fair") and the Slurm-like multifactor
   * baseline, both with these settings; gateways and users come from the trace (traceTenants).
   */
  readonly fairShare?: FairShareConfig;
}

export interface SchedulerFigures extends ScheduleMetrics {
  readonly scheduler: string;
  readonly cpuSeconds: number;
  /** Simulated jobs per CPU second. */
  readonly jobsPerCpuSecond: number;
  /** This scheduler's figure ÷ EASY's, for the figures the issue compares. */
  readonly vsEasy?: { readonly utilization: number; readonly meanWait: number; readonly p99Wait: number; readonly maxWait: number; readonly meanBoundedSlowdown: number };
  readonly counters?: Readonly<Record<string, number>>;
  /** How good its expected starts were, by queue position (our policy, when recorded). */
  readonly estimates?: readonly PositionAccuracy[];
}

export interface Comparison {
  readonly trace: string;
  readonly cluster: string;
  readonly totalCpus: number;
  readonly jobs: number;
  readonly dataLines: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly exactEstimates: number;
  /** How jobs were given gateways and users. */
  readonly tenants: string;
  readonly results: readonly SchedulerFigures[];
}

/** Runs our policy on the simulated Mesos cluster and every baseline on the same trace and cluster. */
export function compareSchedulers(name: string, trace: SwfTrace, shape: ClusterShape, options: CompareOptions = {}): Comparison {
  const jobs = options.limit !== undefined ? trace.jobs.slice(0, options.limit) : trace.jobs;
  const cpus = totalCpus(shape);
  const tenants = traceTenants(jobs);
  const runs: Array<ScheduleResult & { estimates?: PositionAccuracy[] }> = [];
  const mesos = { ...options.mesos, tenantOf: tenants.tenantOf };
  const ours = timed(() => runMesos(jobs, shape, mesos));
  const suffix = options.mesos?.serial ? '+serial' : '';
  const withEstimates = (e: PositionAccuracy[] | undefined) => (e ? { estimates: e } : {});
  runs.push({ scheduler: `ours${suffix}`, outcomes: ours.value.outcomes, cpuSeconds: ours.cpuSeconds, counters: ours.value.counters, ...withEstimates(ours.value.estimates) });
  if (options.fairShare) {
    const fair = timed(() => runMesos(jobs, shape, { ...mesos, policyConfig: { ...mesos.policyConfig, order: 'fair-share', fairShare: options.fairShare } }));
    runs.push({ scheduler: `ours+fair${suffix}`, outcomes: fair.value.outcomes, cpuSeconds: fair.cpuSeconds, counters: fair.value.counters, ...withEstimates(fair.value.estimates) });
  }
  const pools: PoolScheduler[] = (options.baselines ?? ALL_BASELINES).map((b) => BASELINES[b]());
  if (options.fairShare) pools.push(new MultifactorScheduler(tenants.tenantOf, options.fairShare));
  for (const s of pools) {
    const r = timed(() => runPool(jobs, cpus, s));
    runs.push({ scheduler: s.name, outcomes: r.value, cpuSeconds: r.cpuSeconds });
  }
  const figures = runs.map((r): SchedulerFigures => ({
    scheduler: r.scheduler,
    ...scheduleMetrics(r.outcomes, cpus),
    cpuSeconds: r.cpuSeconds,
    jobsPerCpuSecond: r.cpuSeconds > 0 ? jobs.length / r.cpuSeconds : Infinity,
    ...(r.counters ? { counters: r.counters } : {}),
    ...(r.estimates ? { estimates: r.estimates } : {}),
  }));
  const easy = figures.find((f) => f.scheduler === 'EASY');
  const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? 1 : Infinity) : a / b);
  const results = figures.map((f) => (easy ? {
    ...f,
    vsEasy: {
      utilization: ratio(f.utilization, easy.utilization),
      meanWait: ratio(f.meanWait, easy.meanWait),
      p99Wait: ratio(f.p99Wait, easy.p99Wait),
      maxWait: ratio(f.maxWait, easy.maxWait),
      meanBoundedSlowdown: ratio(f.meanBoundedSlowdown, easy.meanBoundedSlowdown),
    },
  } : f));
  return {
    trace: name,
    cluster: formatShape(shape),
    totalCpus: cpus,
    jobs: jobs.length,
    dataLines: trace.dataLines,
    skipped: Object.fromEntries(trace.skipped),
    exactEstimates: trace.exactEstimates,
    tenants: tenants.how,
    results,
  };
}

const fmtSeconds = (s: number): string => (s < 120 ? `${s.toFixed(0)} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`);
const fmtRatio = (r: number | undefined): string => (r === undefined ? '' : !Number.isFinite(r) ? '∞' : r.toFixed(3));

/** The comparison as a text table (what `msched sim` prints). */
export function renderComparison(c: Comparison): string {
  const skipped = Object.entries(c.skipped).map(([why, n]) => `${n} ${why}`).join(', ') || 'none';
  const lines = [
    `trace ${c.trace}: ${c.jobs} jobs simulated of ${c.dataLines} lines (skipped: ${skipped}; ${c.exactEstimates} without a requested time run with their run time as the limit)`,
    `cluster ${c.cluster} (${c.totalCpus} cpus); gateways: ${c.tenants}`,
    '',
  ];
  const header = ['scheduler', 'util', 'mean wait', 'p99 wait', 'max wait', 'mean bsld', 'users', 'Jain', 'Jain(bsld)', 'worst user bsld', 'not run', 'too large', 'util÷EASY', 'bsld÷EASY', 'maxwait÷EASY', 'meanwait÷EASY', 'jobs/cpu-s'];
  const rows = c.results.map((r) => [
    r.scheduler,
    `${(r.utilization * 100).toFixed(2)}%`,
    fmtSeconds(r.meanWait),
    fmtSeconds(r.p99Wait),
    fmtSeconds(r.maxWait),
    r.meanBoundedSlowdown.toFixed(2),
    String(r.users),
    r.jainIndex.toFixed(3),
    r.jainOfSlowdown.toFixed(3),
    r.worstUser ? `${r.worstUser.meanBoundedSlowdown.toFixed(1)} (u${r.worstUser.user}, ${r.worstUser.jobs} jobs)` : '-',
    String(r.neverRan),
    String(r.tooLarge),
    fmtRatio(r.vsEasy?.utilization),
    fmtRatio(r.vsEasy?.meanBoundedSlowdown),
    fmtRatio(r.vsEasy?.maxWait),
    fmtRatio(r.vsEasy?.meanWait),
    Number.isFinite(r.jobsPerCpuSecond) ? Math.round(r.jobsPerCpuSecond).toString() : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]) => cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  lines.push(fmt(header), ...rows.map(fmt));
  for (const r of c.results) if (r.estimates?.length) lines.push('', ...renderEstimates(r.scheduler, r.estimates));
  return `${lines.join('\n')}\n`;
}

/** The expected-start accuracy of one run as text lines. */
export function renderEstimates(scheduler: string, estimates: readonly PositionAccuracy[]): string[] {
  const header = ['position', 'samples', 'no estimate', 'mean abs err', 'median abs err', 'median rel err', 'within 20%', 'median err of wait', 'mean bias'];
  const rows = estimates.map((e) => [
    `#${e.position}`,
    String(e.samples),
    String(e.noEstimate),
    Number.isNaN(e.meanAbsError) ? '-' : fmtSeconds(e.meanAbsError),
    Number.isNaN(e.medianAbsError) ? '-' : fmtSeconds(e.medianAbsError),
    Number.isNaN(e.medianRelativeError) ? '-' : `${(e.medianRelativeError * 100).toFixed(0)}%`,
    Number.isNaN(e.within20) ? '-' : `${(e.within20 * 100).toFixed(0)}%`,
    Number.isNaN(e.medianErrorOfWait) ? '-' : `${(e.medianErrorOfWait * 100).toFixed(0)}%`,
    Number.isNaN(e.meanBias) ? '-' : `${e.meanBias < 0 ? '-' : '+'}${fmtSeconds(Math.abs(e.meanBias))}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]) => cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  return [`expected starts of ${scheduler} (vs actual; rel err: ÷ the wait left then; err of wait: ÷ the job's whole wait; both at least 60 s; bias + = estimated late)`, fmt(header), ...rows.map(fmt)];
}
