import type { DataSource } from 'typeorm';
import { appendStatus, setTaskSandbox, withTransaction, type Db } from '@msched/db';
import type { GangDecision, GangEvent, JobOutcome, TaskRef } from '@msched/gang';
import type { TaskStatus } from '@msched/mesos';
import type { JobEnded } from '@msched/model';
import type { GangResult } from '@msched/mpi';
import { recordTransition } from '@msched/state-recorder';
import type { NextAttempt } from '../store/insert-next-attempt';
import { jobTasks } from '../store/job-tasks';
import { lockJob } from '../store/lock-job';
import type { JobRow, TaskRow } from '../store/rows';
import { setFailureKind } from '../store/set-failure-kind';
import { updateTaskStatus } from '../store/update-task-status';
import { exitCodeFromMessage } from './exit-code';
import { queueNextAttempt } from './queue-next-attempt';
import { recordSettled } from './record-settled';
import { refineOutcome, type RecordedOutcome } from './refine-outcome';
import { isJobTerminal, restoreGangFate, type GangFateSettings } from './restore-fate';
import { SOURCE, subjectOf } from './subject';
import { judgeUpdate, type UpdateVerdict } from './task-order';

/** What happened to a gang attempt that the dispatcher must record. */
export type GangInput =
  /** A Mesos task update, with what was read before the transaction (the launcher's result, sandboxes). */
  | { readonly type: 'update'; readonly status: TaskStatus; readonly result?: GangResult; readonly sandboxes?: ReadonlyMap<string, string> }
  /** The ACCEPT for one agent failed: its tasks never reached Mesos (as far as we know). */
  | { readonly type: 'launchFailed'; readonly agentId: string; readonly reason: string }
  | { readonly type: 'agentLost'; readonly agentId: string }
  /** Apply a recorded cancel request (jobs.cancel_requested_at). */
  | { readonly type: 'cancel' }
  /** Time passed: the wall-time limit. */
  | { readonly type: 'tick' };

/** What the transaction committed, and what must be done after the commit. */
export interface GangTxResult {
  /** The job as it was locked (undefined: no such job). */
  readonly job?: JobRow;
  /** For an update: whether it was news, and if not why. */
  readonly verdict?: UpdateVerdict;
  /** KILLs to send after the commit. */
  readonly kills: readonly TaskRef[];
  readonly active: boolean;
  readonly outcome?: RecordedOutcome;
  readonly nextAttempt?: NextAttempt;
  /** Every task ended: resources are free, JobEnded is in the outbox. */
  readonly ended?: JobEnded;
}

export interface GangTxSettings extends GangFateSettings {
  readonly now?: () => number;
}

function historyReason(status: TaskStatus): string | null {
  const parts = [status.reason, status.message].filter((x): x is string => !!x);
  return parts.length ? parts.join(': ') : null;
}

function ranksText(tasks: readonly TaskRow[]): string {
  const n = tasks.reduce((s, t) => s + t.ranks.length, 0);
  return `${n} rank${n === 1 ? '' : 's'} on ${tasks.length} agent${tasks.length === 1 ? '' : 's'} (${tasks.map((t) => t.hostname ?? t.agentId).join(', ')})`;
}

/**
 * One event of one gang attempt, in one transaction: lock the experiment, the job and its tasks;
 * record the task update if it is news; rebuild the gang's state machine from the rows (so every
 * replica decides alike); feed it; record its decisions (job and process states through
 * recordTransition, the next attempt, JobEnded when settled). Kills are returned, to be sent after
 * the commit; the caller acknowledges the update only then.
 */
export async function runGangTransaction(ds: DataSource, jobId: string, input: GangInput, s: GangTxSettings): Promise<GangTxResult> {
  const now = s.now ?? Date.now;
  return withTransaction(ds, async (tx) => {
    const job = await lockJob(tx, jobId);
    if (!job) return { kills: [], active: false };
    const locked = await jobTasks(tx, jobId, { lock: true });
    let verdict: UpdateVerdict | undefined;
    // The state machine is rebuilt from the rows as they were BEFORE this update (the update is
    // then fed to it); tasks whose ACCEPT failed are rebuilt as dropped.
    let tasks = locked;
    if (input.type === 'update') verdict = await recordTaskUpdate(tx, job, locked, input);
    else if (input.type === 'launchFailed') tasks = await recordNotLaunched(tx, job, locked, input.agentId, input.reason);
    if (job.settledAt || !job.launchedAt || tasks.length === 0) return { job, verdict, kills: [], active: false };

    const lifecycle = restoreGangFate(job, tasks, s);
    const events: GangEvent[] = [];
    if (job.cancelRequestedAt && !isJobTerminal(job.state)) events.push({ type: 'cancel', reason: job.cancelReason ?? undefined });
    if (input.type === 'update' && verdict?.kind === 'record') events.push({ type: 'update', status: input.status });
    else if (input.type === 'launchFailed') events.push({ type: 'launchFailed', agentId: input.agentId, reason: input.reason });
    else if (input.type === 'agentLost') events.push({ type: 'agentLost', agentId: input.agentId });
    else if (input.type === 'tick') events.push({ type: 'tick' });
    const decisions: GangDecision[] = [];
    for (const e of events) decisions.push(...lifecycle.handle(e, now()));
    const result = input.type === 'update' ? input.result : undefined;
    const said = input.type === 'update' ? { taskId: input.status.task_id.value, exitCode: exitCodeFromMessage(input.status.message), reason: input.status.reason } : undefined;
    return applyDecisions(tx, job, tasks, decisions, result, s, verdict, said);
  });
}

async function recordTaskUpdate(tx: Db, job: JobRow, tasks: readonly TaskRow[], input: Extract<GangInput, { type: 'update' }>): Promise<UpdateVerdict> {
  for (const [taskId, dir] of input.sandboxes ?? []) if (tasks.some((t) => t.id === taskId && !t.sandboxPath)) await setTaskSandbox(tx, taskId, dir);
  const { status } = input;
  const row = tasks.find((t) => t.id === status.task_id.value);
  if (!row) return { kind: 'stale', why: `task ${status.task_id.value} is not part of job ${job.id}` };
  const verdict = judgeUpdate(row, status);
  if (verdict.kind !== 'record') return verdict;
  await updateTaskStatus(tx, row.id, {
    state: status.state,
    uuid: status.uuid,
    at: status.timestamp ? new Date(status.timestamp * 1000) : undefined,
    message: status.message,
    exitCode: exitCodeFromMessage(status.message),
    agentId: status.agent_id?.value,
  });
  await appendStatus(tx, { entityType: 'task', entityId: row.id, experimentId: job.experimentId, state: status.state, reason: historyReason(status), source: SOURCE });
  return verdict;
}

/** Tasks whose ACCEPT failed: TASK_DROPPED as far as we are concerned (never reached Mesos). */
async function recordNotLaunched(tx: Db, job: JobRow, tasks: readonly TaskRow[], agentId: string, reason: string): Promise<TaskRow[]> {
  const out: TaskRow[] = [];
  for (const t of tasks) {
    if (t.agentId !== agentId || t.state !== 'TASK_STAGING') {
      out.push(t);
      continue;
    }
    const message = `not launched: ${reason}`;
    await updateTaskStatus(tx, t.id, { state: 'TASK_DROPPED', message });
    await appendStatus(tx, { entityType: 'task', entityId: t.id, experimentId: job.experimentId, state: 'TASK_DROPPED', reason: message, source: SOURCE });
    out.push({ ...t, state: 'TASK_DROPPED', message });
  }
  return out;
}

async function applyDecisions(
  tx: Db, job: JobRow, tasks: readonly TaskRow[], decisions: readonly GangDecision[], result: GangResult | undefined,
  s: GangFateSettings, verdict: UpdateVerdict | undefined,
  /** What the update being applied says of its task: exit code and Mesos' reason, if it says. */
  update?: { taskId: string; exitCode: number | undefined; reason: string | undefined },
): Promise<GangTxResult> {
  const subject = subjectOf(job);
  const kills: TaskRef[] = [];
  let active = false;
  let outcome: RecordedOutcome | undefined;
  let nextAttempt: NextAttempt | undefined;
  let ended: JobEnded | undefined;
  for (const d of decisions) {
    switch (d.type) {
      case 'kill':
        kills.push(...d.tasks);
        break;
      case 'active': {
        const r = await recordTransition(tx, { entity: 'job', id: job.id, to: 'ACTIVE', reason: `every rank runs: ${ranksText(tasks)}`, source: SOURCE, subject });
        active = r.applied;
        await recordTransition(tx, { entity: 'process', id: job.processId, to: 'MONITORING', reason: `gang attempt ${job.attempt} (${job.id}) is running`, source: SOURCE, subject });
        break;
      }
      case 'outcome': {
        const word = d.outcome.state === 'FAILED' && update && d.outcome.failedTaskId === update.taskId ? { exitCode: update.exitCode, reason: update.reason } : {};
        outcome = refineOutcome(d.outcome, result, job.attempt, s.maxAttempts, word);
        // A gang can be seen finishing without ever being seen running (TASK_RUNNING went to a
        // leader that died; reconciliation answers with the latest state only). Its process must
        // still pass MONITORING, or COMPLETED is no transition from where it waits (a repeat is a no-op).
        if (outcome.outcome.state === 'COMPLETE') {
          await recordTransition(tx, { entity: 'process', id: job.processId, to: 'MONITORING', reason: `gang attempt ${job.attempt} (${job.id}) ran (its start was not seen)`, source: SOURCE, subject });
        }
        await recordOutcome(tx, job, outcome.outcome, outcome);
        if (outcome.outcome.state === 'FAILED' && outcome.outcome.retry) nextAttempt = await queueNextAttempt(tx, job, outcome.outcome.reason);
        break;
      }
      case 'settled':
        ended = await recordSettled(tx, job.id);
        break;
    }
  }
  return { job, verdict, kills, active, outcome, nextAttempt, ended };
}

async function recordOutcome(tx: Db, job: JobRow, o: JobOutcome, r: RecordedOutcome): Promise<void> {
  const subject = subjectOf(job);
  const reason = o.state === 'COMPLETE' ? `every rank completed (attempt ${job.attempt})` : o.reason;
  await recordTransition(tx, {
    entity: 'job', id: job.id, to: o.state, reason, source: SOURCE, subject,
    ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
    ...(o.state === 'FAILED' && o.failedRank !== undefined ? { failedRank: o.failedRank } : {}),
  });
  if (r.failureKind) await setFailureKind(tx, job.id, r.failureKind);
}
