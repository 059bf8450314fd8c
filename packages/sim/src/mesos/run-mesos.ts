import { GangFate, type GangDecision, type OfferPolicyConfig, type PolicyDecision, type PolicyEvent, type Tenant, type WaitingGang } from '@msched/gang';
import type { TaskStatus } from '@msched/mesos/protocol';
import { totalCpus, type ClusterShape } from '../cluster/cluster-shape';
import { EventQueue } from '../engine/event-queue';
import type { JobOutcome } from '../engine/outcome';
import { estimateAccuracy, EstimateSamples, type PositionAccuracy } from '../metrics/estimate-accuracy';
import type { TraceJob } from '../swf/parse-swf';
import { DISPATCHER_DEFAULTS, dispatcherPolicy, type OfferScheduler, type OfferSchedulerFactory } from './offer-scheduler';
import { SerialFramework, type SerialWorkload } from './serial-framework';
import { MEM_MB_PER_CPU, SimMaster } from './sim-master';

export interface MesosSimOptions {
  readonly allocationIntervalMs?: number;
  readonly policy?: OfferSchedulerFactory;
  /** Overrides of the policy's knobs (defaults: the dispatcher's). */
  readonly policyConfig?: Partial<Omit<OfferPolicyConfig, 'roles'>>;
  readonly acceptRefuseSeconds?: number;
  /** A second framework of serial tasks on the same cluster; absent: the gang framework is alone. */
  readonly serial?: SerialWorkload;
  /** Each job's gateway and user (fair share, quotas); absent: no tenant. */
  readonly tenantOf?: (job: TraceJob) => Tenant;
  /**
   * Record the policy's expected starts of the first `depth` waiting gangs every `everySeconds` of
   * simulated time (when the policy offers them), to measure them against the actual starts.
   */
  readonly estimates?: { readonly everySeconds: number; readonly depth: number };
}

export interface MesosSimResult {
  readonly outcomes: JobOutcome[];
  readonly counters: Record<string, number>;
  /** Accuracy of the expected starts by queue position (when recorded). */
  readonly estimates?: PositionAccuracy[];
}

type SimEvent =
  | { readonly kind: 'submit'; readonly job: TraceJob }
  | { readonly kind: 'allocate' }
  | { readonly kind: 'tick' }
  | { readonly kind: 'gangFinished'; readonly gangId: string }
  | { readonly kind: 'gangWallTime'; readonly gangId: string }
  | { readonly kind: 'serialArrive' }
  | { readonly kind: 'serialEnd'; readonly taskId: string }
  | { readonly kind: 'sampleEstimates' };

const GANG_FRAMEWORK = 'msched-dispatcher';
const ROLE = 'msched';

interface Launched {
  readonly job: TraceJob;
  readonly lifecycle: GangFate;
  readonly tasks: ReadonlyArray<{ taskId: string; agentId: string }>;
}

/**
 * Replays a trace on a simulated Mesos master through the dispatcher's own code: the offer policy
 * decides launches, declines, REVIVE and SUPPRESS from offers; each launched gang's fate is followed
 * by GangFate from task updates (finished at its run time, or killed at its wall-time limit).
 * Time is simulated: every `now` handed to the policy and the lifecycle is the event's time (ms).
 */
export function runMesos(jobs: readonly TraceJob[], shape: ClusterShape, options: MesosSimOptions = {}): MesosSimResult {
  const interval = options.allocationIntervalMs ?? 1000;
  const acceptRefuse = options.acceptRefuseSeconds ?? DISPATCHER_DEFAULTS.acceptRefuseSeconds;
  const config: OfferPolicyConfig = {
    roles: [ROLE],
    holdSeconds: DISPATCHER_DEFAULTS.holdSeconds,
    declineRefuseSeconds: DISPATCHER_DEFAULTS.declineRefuseSeconds,
    idleRefuseSeconds: DISPATCHER_DEFAULTS.idleRefuseSeconds,
    reservationAgingSeconds: DISPATCHER_DEFAULTS.reservationAgingSeconds,
    // The dispatcher's MSCHED_DISPATCHER_REVIVE_ON_GANG_END=true: freed cpus are offered at once, not at the next batch.
    reviveOnGangEnd: true,
    ...options.policyConfig,
  };
  const policy: OfferScheduler = (options.policy ?? dispatcherPolicy)(config);
  const master = new SimMaster(shape, { allocationIntervalMs: interval });
  const agenda = new EventQueue<SimEvent>();
  const byGang = new Map<string, TraceJob>();
  const starts = new Map<TraceJob, number>();
  const failed = new Map<TraceJob, string>();
  const launched = new Map<string, Launched>();
  const ticksAt = new Set<number>();
  let allocationAt: number | undefined;
  /** Trace jobs settled or failed. */
  let resolved = 0;
  let horizon = 0;
  for (const job of jobs) horizon += job.wallTime * 1000;
  horizon += jobs.length ? jobs[jobs.length - 1].submit * 1000 : 0;
  const counters: Record<string, number> = { policyCalls: 0, launches: 0, wallTimeKills: 0, ticks: 0 };

  master.subscribe(GANG_FRAMEWORK, ROLE, true);
  const serial = options.serial ? new SerialFramework(master, options.serial, totalCpus(shape)) : undefined;
  if (serial) agenda.push(serial.nextArrival(0), { kind: 'serialArrive' });
  for (const job of jobs) agenda.push(job.submit * 1000, { kind: 'submit', job });
  const sampling = options.estimates && policy.expectedStarts ? options.estimates : undefined;
  const samples = new EstimateSamples();
  if (sampling && jobs.length) agenda.push(jobs[0].submit * 1000, { kind: 'sampleEstimates' });

  const scheduleTick = (at: number) => {
    if (ticksAt.has(at)) return;
    ticksAt.add(at);
    agenda.push(at, { kind: 'tick' });
  };
  const wakeMaster = (now: number) => {
    const at = master.nextAllocationAt(now);
    if (at === undefined || (allocationAt !== undefined && allocationAt <= at)) return;
    allocationAt = at;
    agenda.push(at, { kind: 'allocate' });
  };

  const toPolicy = (events: PolicyEvent | readonly PolicyEvent[], now: number) => {
    counters.policyCalls++;
    execute(policy.handle(events, now), now);
  };

  const onGangDecisions = (gangId: string, decisions: readonly GangDecision[], now: number) => {
    const g = launched.get(gangId)!;
    for (const d of decisions) {
      if (d.type === 'kill') {
        // The agent kills at once; its TASK_KILLED updates go back into the same lifecycle.
        for (const t of d.tasks) {
          master.taskEnded(t.taskId);
          onGangDecisions(gangId, g.lifecycle.handle({ type: 'update', status: status(t.taskId, t.agentId, 'TASK_KILLED') }, now), now);
        }
      } else if (d.type === 'settled') {
        launched.delete(gangId);
        resolved++;
        toPolicy({ type: 'gangEnded', gangId }, now);
      }
    }
  };

  const execute = (decisions: readonly PolicyDecision[], now: number) => {
    for (const d of decisions) {
      switch (d.type) {
        case 'launch': {
          const job = byGang.get(d.gangId)!;
          counters.launches++;
          const tasks = d.agents.map((a, i) => ({ taskId: `${d.gangId}.${i}`, agentId: a.agentId, cpus: a.cpus, mem: a.mem, ranks: a.ranks }));
          master.accept(GANG_FRAMEWORK, d.agents.flatMap((a) => a.offerIds), tasks, acceptRefuse, now);
          const lifecycle = new GangFate({ jobId: d.gangId, attempt: 1, maxAttempts: 1, wallTimeSeconds: job.wallTime, launchedAt: now, tasks });
          launched.set(d.gangId, { job, lifecycle, tasks });
          starts.set(job, now);
          for (const t of tasks) lifecycle.handle({ type: 'update', status: status(t.taskId, t.agentId, 'TASK_RUNNING') }, now);
          if (job.recordedRunTime <= job.wallTime) agenda.push(now + job.recordedRunTime * 1000, { kind: 'gangFinished', gangId: d.gangId });
          else agenda.push(now + job.wallTime * 1000, { kind: 'gangWallTime', gangId: d.gangId });
          break;
        }
        case 'decline':
          master.decline(GANG_FRAMEWORK, d.offerIds, d.refuseSeconds, now);
          break;
        case 'revive':
          master.revive(GANG_FRAMEWORK);
          break;
        case 'suppress':
          master.suppress(GANG_FRAMEWORK);
          break;
        case 'fail':
          resolved++;
          failed.set(byGang.get(d.gangId)!, d.reason);
          break;
      }
    }
  };

  toPolicy({ type: 'clusterState', state: master.clusterState() }, 0);
  for (let ev = agenda.pop(); ev; ev = agenda.pop()) {
    const now = ev.time;
    const e = ev.item;
    switch (e.kind) {
      case 'submit': {
        const gangId = `job-${e.job.id}`;
        byGang.set(gangId, e.job);
        const gang: WaitingGang = {
          gangId,
          ...(options.tenantOf ? { tenant: options.tenantOf(e.job) } : {}),
          request: { ranks: e.job.procs, cpusPerRank: 1, memMbPerRank: MEM_MB_PER_CPU, role: ROLE, portsPerAgent: 0 },
          wallTimeSeconds: e.job.wallTime,
          queuedAt: now,
        };
        toPolicy({ type: 'gangQueued', gang }, now);
        scheduleTick(now + config.reservationAgingSeconds * 1000);
        break;
      }
      case 'allocate': {
        allocationAt = undefined;
        const offers = master.allocate(now);
        const mine = offers.get(GANG_FRAMEWORK);
        if (mine) {
          toPolicy({ type: 'offers', offers: mine }, now);
          // The dispatcher ticks every second; what a tick can change here is the hold limit of these offers.
          if (policy.heldOffers > 0) scheduleTick(now + config.holdSeconds * 1000);
        }
        const theirs = offers.get(SerialFramework.ID);
        if (theirs && serial) for (const t of serial.offers(theirs, now)) agenda.push(t.endAt, { kind: 'serialEnd', taskId: t.taskId });
        break;
      }
      case 'tick':
        ticksAt.delete(now);
        counters.ticks++;
        toPolicy({ type: 'tick' }, now);
        break;
      case 'gangFinished': {
        const g = launched.get(e.gangId)!;
        for (const t of g.tasks) {
          master.taskEnded(t.taskId);
          onGangDecisions(e.gangId, g.lifecycle.handle({ type: 'update', status: status(t.taskId, t.agentId, 'TASK_FINISHED') }, now), now);
        }
        break;
      }
      case 'gangWallTime': {
        const g = launched.get(e.gangId)!;
        counters.wallTimeKills++;
        onGangDecisions(e.gangId, g.lifecycle.handle({ type: 'tick' }, now), now);
        break;
      }
      case 'serialArrive':
        serial!.arrive(now);
        // The serial stream stops once every trace job is settled (or past a horizon no sane schedule needs).
        if (resolved < jobs.length && now < horizon) agenda.push(serial!.nextArrival(now), { kind: 'serialArrive' });
        break;
      case 'serialEnd':
        master.taskEnded(e.taskId);
        break;
      case 'sampleEstimates': {
        let position = 0;
        for (const [gangId, at] of policy.expectedStarts!(now, sampling!.depth)) {
          samples.add(byGang.get(gangId)!.id, ++position, now / 1000, at === undefined ? undefined : at / 1000);
        }
        if (resolved < jobs.length) agenda.push(now + sampling!.everySeconds * 1000, { kind: 'sampleEstimates' });
        break;
      }
    }
    wakeMaster(now);
  }

  const outcomes = jobs.map((job): JobOutcome => {
    const start = starts.get(job);
    const base = { jobId: job.id, submit: job.submit, procs: job.procs, user: job.user, runTime: job.runTime };
    if (start !== undefined) return { ...base, start: start / 1000 };
    return { ...base, notRun: failed.get(job) ?? 'never started' };
  });
  const c = { ...counters, ...master.counters };
  if (serial) Object.assign(c, { serialSubmitted: serial.stats.submitted, serialStarted: serial.stats.started, serialMeanWaitSeconds: serial.stats.started ? serial.stats.totalWaitMs / serial.stats.started / 1000 : 0 });
  if (!sampling) return { outcomes, counters: c };
  const startOf = new Map<number, number>();
  for (const [job, at] of starts) startOf.set(job.id, at / 1000);
  return { outcomes, counters: c, estimates: estimateAccuracy(samples, startOf, new Map(jobs.map((j) => [j.id, j.submit]))) };
}

function status(taskId: string, agentId: string, state: TaskStatus['state']): TaskStatus {
  return { task_id: { value: taskId }, agent_id: { value: agentId }, state };
}
