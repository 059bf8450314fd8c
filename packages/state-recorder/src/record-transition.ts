import { appendStatus, Db, enqueueOutbox, lockState, setJobResult, setState } from '@msched/db';
import { checkTransition, experimentStateForProcess, ProcessState, taskStateForJob, JobState } from '@msched/state-model';
import { STATUS_EVENT_TYPE, STATUS_EVENT_VERSION, StatusEvent } from '@msched/model';
import type { TransitionRequest, TransitionResult } from './transition-request';
import { onWorkflowProcessChange } from './workflow/on-process';
import { lockWorkflowOfProcess } from './workflow/store';

export type { Subject, TransitionRequest, TransitionResult } from './transition-request';

/**
 * Applies one state change inside the caller's transaction (the row is locked first, so concurrent
 * writers serialize): refused and duplicate changes write nothing and say why. A process change
 * also moves its experiment the way Airavata's orchestrator would; a job change also reports the
 * state of its Airavata JOB_SUBMISSION task when that changes.
 */
export async function recordTransition(tx: Db, req: TransitionRequest): Promise<TransitionResult> {
  if (req.entity === 'process') await lockWorkflowOfProcess(tx, req.id);
  const current = await lockState(tx, req.entity, req.id);
  if (current === undefined) return { applied: false, kind: 'missing', reason: `no ${req.entity} ${req.id}` };
  const checked = checkTransition(req.entity, current, req.to);
  const verdict = req.force && checked.kind === 'rejected' && !/is not a/.test(checked.reason) ? { kind: 'apply' as const } : checked;
  if (verdict.kind === 'duplicate') return { applied: false, kind: 'duplicate', reason: `${req.entity} ${req.id} is already ${req.to}` };
  if (verdict.kind === 'rejected') return { applied: false, kind: 'rejected', reason: verdict.reason };

  await setState(tx, req.entity, req.id, req.to);
  if (req.entity === 'job' && (req.reason !== undefined || req.exitCode !== undefined || req.failedRank !== undefined)) {
    await setJobResult(tx, req.id, { reason: req.reason, exitCode: req.exitCode, failedRank: req.failedRank });
  }
  const reason = req.force ? [req.reason, `forced: ${req.force}`].filter(Boolean).join('; ') : req.reason;
  // One clock for one change: the event carries the history row's time (the database's transaction time).
  const { at } = await appendStatus(tx, { entityType: req.entity, entityId: req.id, experimentId: req.subject.experimentId, state: req.to, reason: reason ?? null, source: req.source });
  const time = new Date(at).toISOString();
  await emit(tx, {
    entity: req.entity, state: req.to, previousState: current, reason, source: req.source, time,
    gatewayId: req.subject.gatewayId, experimentId: req.subject.experimentId,
    processId: req.entity === 'experiment' ? undefined : req.subject.processId,
    taskId: req.entity === 'job' ? req.subject.taskId : undefined,
    jobId: req.entity === 'job' ? req.id : undefined,
    jobName: req.entity === 'job' ? (req.subject.jobName ?? req.id) : undefined,
    exitCode: req.exitCode, failedRank: req.failedRank,
  });

  if (req.entity === 'job' && req.subject.taskId) {
    const before = taskStateForJob(current as JobState);
    const after = taskStateForJob(req.to as JobState);
    if (before !== after) {
      await emit(tx, {
        entity: 'task', state: after, previousState: before, reason: req.reason, source: req.source, time, taskType: 'JOB_SUBMISSION',
        gatewayId: req.subject.gatewayId, experimentId: req.subject.experimentId, processId: req.subject.processId, taskId: req.subject.taskId,
      });
    }
  }
  // A workflow's process moves its application; the workflow, not the process, moves the experiment.
  if (req.entity === 'process' && (await onWorkflowProcessChange(tx, req.id, req.to, req.reason, req.source, recordTransition))) return { applied: true, from: current };
  if (req.entity === 'process') {
    const exp = experimentStateForProcess(req.to as ProcessState);
    if (exp) {
      await recordTransition(tx, { entity: 'experiment', id: req.subject.experimentId, to: exp, reason: req.reason, source: req.source, subject: req.subject, force: req.force });
    }
  }
  return { applied: true, from: current };
}

async function emit(tx: Db, e: StatusEvent): Promise<void> {
  // Optional fields left undefined are dropped by JSON, keeping events minimal.
  await enqueueOutbox(tx, { topic: 'events', key: e.experimentId, type: STATUS_EVENT_TYPE, version: STATUS_EVENT_VERSION, payload: e });
}
