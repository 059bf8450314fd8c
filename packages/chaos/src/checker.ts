import { gangsThatFit, type GangDemand } from './fit-at-kill';
import type { ChannelMessage, DbExperiment, LaunchRecord, ProcessSighting, RunHistories } from './histories';

/** The kinds of broken promise the checker looks for. */
export const VIOLATION_KINDS = [
  'lost', 'extra-terminal', 'left-behind', 'partial-gang', 'rank-twice', 'unkilled-rank', 'missing-outputs',
  'missing-event', 'duplicated-event', 'out-of-order', 'orphan-process', 'orphan-sandbox', 'orphan-rendezvous', 'held-offer',
] as const;
export type ViolationKind = (typeof VIOLATION_KINDS)[number];

export interface Violation {
  kind: ViolationKind;
  experimentId?: string;
  detail: string;
}

export interface CheckSummary {
  launches: { ok: number; error: number; unknown: number };
  outcomes: { COMPLETED: number; FAILED: number; CANCELED: number; notEnded: number };
  gangAttempts: number;
  retriedGangs: number;
  /** Messages delivered more than once with the same id (allowed: delivery is at least once). */
  redeliveries: Record<string, number>;
  /** Seconds from a leader kill to the placement of each gang waiting at that moment. */
  placementAfterLeaderKill: PlacementFigures;
  /**
   * The same, for the gangs the cluster could hold at the kill (gangsThatFit): what the failover
   * itself costs. The others waited for capacity; they are in the figure above.
   */
  placementAfterLeaderKillFitting: PlacementFigures;
  /** Launches that ended otherwise than their kind intends (an MPI gang failed after its retries, ...): reported, not a violation. */
  unexpectedOutcomes: { experimentId: string; kind: string; state: string }[];
}

export interface PlacementFigures { samples: number; p50: number | null; p99: number | null; max: number | null; neverPlaced: number }

export interface CheckResult {
  violations: Violation[];
  summary: CheckSummary;
}

const TERMINAL_EXPERIMENT = new Set(['COMPLETED', 'FAILED', 'CANCELED']);
const TERMINAL_TASK = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR']);
/** Job states after which no rank of the attempt may run. */
const ENDED_JOB = new Set(['COMPLETE', 'FAILED', 'CANCELED']);
const INTENDED: Record<string, string> = { mpi2: 'COMPLETED', mpi4: 'COMPLETED', serial: 'COMPLETED', duplicate: 'COMPLETED', fail: 'FAILED', cancel: 'CANCELED' };

/**
 * Sightings are sampled every 2 s, and a task's processes are gone before its agent reports it
 * ended; this covers the sampling and a loaded machine.
 */
const ORPHAN_SLACK_MS = 5000;

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Judges a run from its gathered histories alone (pure). Every launch a client saw succeed must
 * reach exactly one terminal state; a refused one must leave nothing; gang attempts are all or
 * nothing and never run a task twice; every channel carries every change once, in order; nothing
 * is left over.
 */
export function checkRun(h: RunHistories): CheckResult {
  const v: Violation[] = [];
  const byId = new Map(h.experiments.map((e) => [e.id, e]));
  const launchesById = new Map<string, LaunchRecord[]>();
  for (const l of h.launches) launchesById.set(l.experimentId, [...(launchesById.get(l.experimentId) ?? []), l]);

  const summary: CheckSummary = {
    launches: { ok: 0, error: 0, unknown: 0 },
    outcomes: { COMPLETED: 0, FAILED: 0, CANCELED: 0, notEnded: 0 },
    gangAttempts: 0,
    retriedGangs: 0,
    redeliveries: {},
    placementAfterLeaderKill: { samples: 0, p50: null, p99: null, max: null, neverPlaced: 0 },
    placementAfterLeaderKillFitting: { samples: 0, p50: null, p99: null, max: null, neverPlaced: 0 },
    unexpectedOutcomes: [],
  };
  for (const l of h.launches) summary.launches[l.outcome]++;

  // 1. Launch outcomes against the job database.
  for (const [id, calls] of launchesById) {
    const e = byId.get(id);
    const accepted = calls.some((c) => c.outcome === 'ok');
    const refused = calls.every((c) => c.outcome === 'error');
    if (accepted && !e) { v.push({ kind: 'lost', experimentId: id, detail: 'a client was told the launch succeeded, but the job database has no such experiment' }); continue; }
    if (refused && e) { v.push({ kind: 'left-behind', experimentId: id, detail: `every launch call was refused (${calls[0].error ?? 'error'}), but the experiment exists in state ${e.state}` }); continue; }
    if (!e) continue; // refused, or unknown and never created: both fine
    const terminals = e.history.filter((r) => r.entityType === 'experiment' && TERMINAL_EXPERIMENT.has(r.state));
    if (!TERMINAL_EXPERIMENT.has(e.state)) {
      summary.outcomes.notEnded++;
      v.push({ kind: 'lost', experimentId: id, detail: `accepted but never ended: experiment ${e.state}, process ${e.processStates.join('/')}, jobs ${e.jobs.map((j) => `${j.id}:${j.state}`).join(', ') || 'none'}` });
    } else {
      summary.outcomes[e.state as 'COMPLETED' | 'FAILED' | 'CANCELED']++;
      const kind = calls[0].kind;
      if (INTENDED[kind] && INTENDED[kind] !== e.state) summary.unexpectedOutcomes.push({ experimentId: id, kind, state: e.state });
    }
    if (terminals.length > 1) v.push({ kind: 'extra-terminal', experimentId: id, detail: `the experiment reached ${terminals.length} terminal states: ${terminals.map((t) => t.state).join(', ')}` });
    if (e.state === 'COMPLETED') {
      const expected = calls.find((c) => c.expectedOutputs.length)?.expectedOutputs ?? [];
      const missing = expected.filter((f) => !e.dataFiles.includes(f));
      if (missing.length) v.push({ kind: 'missing-outputs', experimentId: id, detail: `COMPLETED without ${missing.join(', ')} in its data folder (has: ${e.dataFiles.join(', ') || 'nothing'})` });
    }
  }
  // Experiments nobody launched in this run (should not exist in the run's own database).
  for (const e of h.experiments) if (!launchesById.has(e.id)) v.push({ kind: 'left-behind', experimentId: e.id, detail: 'an experiment no client launched' });

  // 2. Gang attempts: all ranks or none, each rank once, nothing running after the attempt ended.
  const masterById = new Map(h.masterTasks.map((t) => [t.taskId, t]));
  for (const e of h.experiments) {
    if (e.jobs.length > 1) summary.retriedGangs++;
    for (const j of e.jobs) {
      if (j.tasks.length === 0) continue;
      summary.gangAttempts++;
      const seen = new Map<number, string>();
      for (const t of j.tasks) for (const r of t.ranks) {
        if (seen.has(r)) v.push({ kind: 'rank-twice', experimentId: e.id, detail: `rank ${r} of ${j.id} is in tasks ${seen.get(r)} and ${t.id}` });
        seen.set(r, t.id);
      }
      if (j.ranks > 0) {
        const missing = Array.from({ length: j.ranks }, (_, i) => i).filter((r) => !seen.has(r));
        if (missing.length) v.push({ kind: 'partial-gang', experimentId: e.id, detail: `${j.id} launched without rank(s) ${missing.join(', ')} of ${j.ranks}` });
      }
      // What the master saw: a gang either reached the master whole or not at all.
      const atMaster = j.tasks.filter((t) => masterById.has(t.id));
      if (atMaster.length > 0 && atMaster.length < j.tasks.length && !j.tasks.every((t) => TERMINAL_TASK.has(t.state))) {
        v.push({ kind: 'partial-gang', experimentId: e.id, detail: `${j.id}: the master knows ${atMaster.length} of its ${j.tasks.length} tasks` });
      }
      if (ENDED_JOB.has(j.state)) {
        // Only a record taken after the attempt settled can show a rank still running: an earlier
        // one may be the last word of a master killed before it heard of the task's end.
        const endedAt = j.settledAt ?? null;
        for (const t of j.tasks) {
          const m = masterById.get(t.id);
          const stale = m?.at !== undefined && endedAt !== null && m.at <= endedAt;
          if (m && !stale && !TERMINAL_TASK.has(m.state) && m.state !== 'TASK_UNREACHABLE') v.push({ kind: 'unkilled-rank', experimentId: e.id, detail: `${j.id} is ${j.state} but the master has its task ${t.id} ${m.state}` });
        }
      }
    }
  }
  // A settled attempt has nothing running (the master had every task terminal): a process of it
  // seen alive later is an orphan, e.g. a rank left running by an agent killed -9 and reported lost.
  const settledAt = new Map<string, number>();
  for (const e of h.experiments) for (const j of e.jobs) for (const t of j.tasks) if (j.settledAt) settledAt.set(t.id, j.settledAt);
  const lateSeen = new Map<string, ProcessSighting>();
  for (const s of h.sightings) {
    const settled = settledAt.get(s.taskId);
    if (settled !== undefined && s.at > settled + ORPHAN_SLACK_MS && (lateSeen.get(s.containerId)?.at ?? 0) < s.at) lateSeen.set(s.containerId, s);
  }
  // Those still alive at the end are reported with the leftovers.
  for (const p of h.leftovers.processes) lateSeen.delete(p.containerId);
  for (const s of lateSeen.values()) {
    v.push({ kind: 'orphan-process', experimentId: h.taskOwners[s.taskId], detail: `task ${s.taskId} (container ${s.containerId}, pid ${s.pid}) still ran ${((s.at - (settledAt.get(s.taskId) ?? 0)) / 1000).toFixed(1)} s after its attempt settled` });
  }

  // The same task (one attempt's ranks) must never run in two containers.
  const containers = new Map<string, Set<string>>();
  for (const s of h.sightings) containers.set(s.taskId, (containers.get(s.taskId) ?? new Set()).add(s.containerId));
  for (const [taskId, set] of containers) {
    if (set.size > 1) v.push({ kind: 'rank-twice', experimentId: h.taskOwners[taskId], detail: `task ${taskId} ran in ${set.size} containers: ${[...set].join(', ')}` });
  }

  // What follows is judged only for experiments that ended in the database's snapshot: one still
  // running (already reported as lost) may legitimately have more events, running ranks, a
  // sandbox, a rendezvous node and held offers.
  const ended = new Set(h.experiments.filter((e) => TERMINAL_EXPERIMENT.has(e.state)).map((e) => e.id));
  const jobOwner = new Map<string, string>();
  for (const e of h.experiments) for (const j of e.jobs) jobOwner.set(j.id, e.id);
  const ownerEnded = (taskOrJobId: string | undefined) => {
    const owner = taskOrJobId === undefined ? undefined : h.taskOwners[taskOrJobId] ?? jobOwner.get(taskOrJobId);
    return owner === undefined || ended.has(owner);
  };

  // 3. Channels: each change once, in order, none missing.
  // The database's history of experiments, processes and jobs is what the events topic must carry.
  // (Its 'task' rows are Mesos task states, internal; Airavata task events have no history row.)
  const published = (entity: string) => entity === 'experiment' || entity === 'process' || entity === 'job';
  const dbChanges = new Map<string, string[]>();
  for (const e of h.experiments) dbChanges.set(e.id, [...e.history].filter((r) => published(r.entityType)).sort((a, b) => a.id - b.id).map((r) => `status.changed:${r.entityType}:${r.state}`));
  const events = h.channels.events;
  if (events) {
    const perExp = firstOccurrences(events, 'events', summary);
    for (const [expId, changes] of dbChanges) {
      if (!ended.has(expId)) continue;
      const got = (perExp.get(expId) ?? []).filter((m) => m.type.startsWith('status.changed:') && published(m.type.slice('status.changed:'.length))).map((m) => `${m.type}:${m.state}`);
      compareSequences(v, 'events', expId, changes, got);
    }
    for (const [name, msgs] of Object.entries(h.channels)) {
      if (name === 'events') continue;
      const per = firstOccurrences(msgs, name, summary);
      for (const [expId, evs] of perExp) {
        if (!byId.has(expId) || !ended.has(expId)) continue;
        compareSequences(v, name, expId, evs.map((m) => m.messageId), (per.get(expId) ?? []).map((m) => m.messageId));
      }
    }
  }

  // 4. Leftovers after every job ended.
  const sandboxTask = (path: string) => /\/executors\/([^/]+)\/runs\//.exec(path)?.[1];
  const rendezvousJob = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  const allEnded = h.experiments.every((e) => ended.has(e.id));
  for (const p of h.leftovers.processes.filter((x) => ownerEnded(x.taskId))) v.push({ kind: 'orphan-process', experimentId: h.taskOwners[p.taskId], detail: `pid ${p.pid} of task ${p.taskId} (container ${p.containerId}) still runs` });
  for (const s of h.leftovers.sandboxes.filter((x) => ownerEnded(sandboxTask(x)))) v.push({ kind: 'orphan-sandbox', detail: `sandbox ${s} of an ended task is still on disk` });
  for (const z of h.leftovers.rendezvous.filter((x) => ownerEnded(rendezvousJob(x)))) v.push({ kind: 'orphan-rendezvous', detail: `rendezvous node ${z} remains` });
  if (allEnded && h.leftovers.heldOffers > 0) v.push({ kind: 'held-offer', detail: `${h.leftovers.heldOffers} offer(s) still held by the framework after the run settled` });

  // 5. Time to place waiting gangs after a leader kill.
  const all: Array<number | null> = [];
  const fitting: Array<number | null> = [];
  for (const k of h.leaderKills) {
    const known = k.free !== undefined && k.waiting.every((w) => w.demand);
    const fits = known ? gangsThatFit(k.free ?? [], k.waiting.map((w) => w.demand as GangDemand)) : [];
    k.waiting.forEach((w, i) => {
      const wait = w.placedAt === null ? null : (w.placedAt - k.at) / 1000;
      all.push(wait);
      if (fits[i]) fitting.push(wait);
    });
  }
  summary.placementAfterLeaderKill = placementFigures(all);
  summary.placementAfterLeaderKillFitting = placementFigures(fitting);
  return { violations: v, summary };
}

function placementFigures(waits: ReadonlyArray<number | null>): PlacementFigures {
  const placed = waits.filter((x): x is number => x !== null).sort((a, b) => a - b);
  return { samples: placed.length, neverPlaced: waits.length - placed.length, p50: percentile(placed, 50), p99: percentile(placed, 99), max: placed.length ? placed[placed.length - 1] : null };
}

/** Per experiment, the channel's messages with redeliveries (same id) dropped, in delivery order. */
function firstOccurrences(msgs: readonly ChannelMessage[], channel: string, summary: CheckSummary): Map<string, ChannelMessage[]> {
  const seen = new Set<string>();
  const out = new Map<string, ChannelMessage[]>();
  for (const m of msgs) {
    if (seen.has(m.messageId)) { summary.redeliveries[channel] = (summary.redeliveries[channel] ?? 0) + 1; continue; }
    seen.add(m.messageId);
    out.set(m.experimentId, [...(out.get(m.experimentId) ?? []), m]);
  }
  return out;
}

/**
 * `want` is the truth (the database's history, or the events topic for a downstream channel), `got`
 * what the channel delivered: items missing, items more often than in the truth, and order.
 */
function compareSequences(v: Violation[], channel: string, expId: string, want: readonly string[], got: readonly string[]): void {
  const count = (xs: readonly string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const w = count(want);
  const g = count(got);
  const missing = [...w].filter(([x, n]) => (g.get(x) ?? 0) < n).map(([x, n]) => `${x}${n - (g.get(x) ?? 0) > 1 ? ` x${n - (g.get(x) ?? 0)}` : ''}`);
  const extra = [...g].filter(([x, n]) => n > (w.get(x) ?? 0)).map(([x, n]) => `${x}${n - (w.get(x) ?? 0) > 1 ? ` x${n - (w.get(x) ?? 0)}` : ''}`);
  if (missing.length) v.push({ kind: 'missing-event', experimentId: expId, detail: `${channel} lacks ${missing.join(', ')}` });
  if (extra.length) v.push({ kind: 'duplicated-event', experimentId: expId, detail: `${channel} carries more than the truth: ${extra.join(', ')}` });
  if (!missing.length && !extra.length && want.join('\n') !== got.join('\n')) {
    const i = want.findIndex((x, k) => got[k] !== x);
    v.push({ kind: 'out-of-order', experimentId: expId, detail: `${channel} differs from position ${i}: expected ${want[i]}, got ${got[i]}` });
  }
}

export function countByKind(violations: readonly Violation[]): Record<ViolationKind, number> {
  const out = Object.fromEntries(VIOLATION_KINDS.map((k) => [k, 0])) as Record<ViolationKind, number>;
  for (const x of violations) out[x.kind]++;
  return out;
}

export type { DbExperiment };
