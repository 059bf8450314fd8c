import assert from 'node:assert/strict';
import type { JobOutcome } from '@msched/gang';
import type { GangResult } from '@msched/mpi';
import {
  exitCodeFromMessage, jobEndedMessage, judgeUpdate, launcherOf, nextJobId, outcomeOfJob, refineOutcome, restoreGangFate,
} from '@msched/dispatcher';
import type { JobRow, TaskRow } from '@msched/dispatcher';

const job = (p: Partial<JobRow> = {}): JobRow => ({
  id: 'JOB_1', processId: 'P1', experimentId: 'E1', gatewayId: 'gw', userName: 'alice', taskId: 'T1', attempt: 1, state: 'ACTIVE',
  gangSpec: {
    jobId: 'JOB_1', processId: 'P1', experimentId: 'E1', gatewayId: 'gw', attempt: 1, ranks: 4, cpusPerRank: 1, memMbPerRank: 128,
    wallTimeSeconds: 60, role: 'mpi', app: { executable: '/bin/true', args: [], env: {}, mpi: 'openmpi', uris: [] },
  },
  reason: null, exitCode: null, failedRank: null, failureKind: null, queuedAt: new Date(0), launchedAt: new Date(1000), settledAt: null,
  cancelRequestedAt: null, cancelReason: null, ...p,
});

const task = (i: number, p: Partial<TaskRow> = {}): TaskRow => ({
  id: `JOB_1.${i}`, jobId: 'JOB_1', agentId: `S${i}`, hostname: `agent${i + 1}`, ranks: [2 * i, 2 * i + 1], state: 'TASK_RUNNING',
  lastUpdateUuid: null, sandboxPath: `/w/agent${i + 1}/sandbox`, exitCode: null, message: null, taskIndex: i, launcher: i === 0, ...p,
});

const result = (p: Partial<GangResult>): GangResult => ({
  state: 'FAILED', exitCode: 3, message: 'rank 2 on agent2 exited with code 3', retriable: false, ranks: 4, jobId: 'JOB_1', attempt: 1, durationMs: 10, ...p,
});

describe('dispatcher: which task updates are news', () => {
  it('records forward progress and drops repeats, old news and anything after the end', () => {
    assert.equal(judgeUpdate({ state: 'TASK_STAGING', lastUpdateUuid: null }, { state: 'TASK_STARTING', uuid: 'u1' }).kind, 'record');
    assert.equal(judgeUpdate({ state: 'TASK_RUNNING', lastUpdateUuid: 'u2' }, { state: 'TASK_RUNNING', uuid: 'u2' }).kind, 'duplicate');
    assert.equal(judgeUpdate({ state: 'TASK_RUNNING', lastUpdateUuid: 'u2' }, { state: 'TASK_RUNNING' }).kind, 'duplicate', 'a reconciliation answer repeating the state');
    assert.equal(judgeUpdate({ state: 'TASK_RUNNING', lastUpdateUuid: 'u2' }, { state: 'TASK_STARTING', uuid: 'u1' }).kind, 'stale');
    assert.equal(judgeUpdate({ state: 'TASK_FINISHED', lastUpdateUuid: 'u3' }, { state: 'TASK_FAILED' }).kind, 'stale');
    assert.equal(judgeUpdate({ state: 'TASK_RUNNING', lastUpdateUuid: 'u2' }, { state: 'TASK_UNREACHABLE' }).kind, 'record');
    assert.equal(judgeUpdate({ state: 'TASK_UNREACHABLE', lastUpdateUuid: 'u2' }, { state: 'TASK_RUNNING', uuid: 'u9' }).kind, 'record', 'a partitioned agent came back');
    assert.equal(judgeUpdate({ state: 'TASK_KILLING', lastUpdateUuid: 'u4' }, { state: 'TASK_RUNNING', uuid: 'u3' }).kind, 'stale');
  });

  it('says why an update is not news', () => {
    const v = judgeUpdate({ state: 'TASK_FINISHED', lastUpdateUuid: 'u3' }, { state: 'TASK_FINISHED', uuid: 'u3' });
    assert.deepEqual(v, { kind: 'duplicate', why: 'update u3 was already recorded' });
  });
});

describe('dispatcher: the launcher\'s result refines the gang\'s outcome', () => {
  const appFailure: JobOutcome = { state: 'FAILED', reason: 'rank 0 failed with TASK_FAILED [task JOB_1.0]', failure: 'application', failedRank: 0, failedTaskId: 'JOB_1.0', retry: false };

  it('takes the failed rank and exit code from the result', () => {
    const r = refineOutcome(appFailure, result({ reason: 'rank_failed', failedRank: 2 }), 1, 3);
    assert.equal(r.exitCode, 3);
    assert.equal(r.failureKind, 'application');
    assert.ok(r.outcome.state === 'FAILED' && r.outcome.failedRank === 2 && !r.outcome.retry);
    assert.match(r.outcome.state === 'FAILED' ? r.outcome.reason : '', /^rank 2 on agent2 exited with code 3 \[rank_failed, exit code 3\]; rank 0 failed/);
  });

  it('turns a broken gang (member lost) into an infrastructure failure that is retried while attempts are left', () => {
    const lost = result({ reason: 'member_lost', retriable: true, exitCode: 75, message: 'task 1 left the gang' });
    const r = refineOutcome(appFailure, lost, 1, 3);
    assert.ok(r.outcome.state === 'FAILED' && r.outcome.failure === 'infrastructure' && r.outcome.retry);
    const last = refineOutcome(appFailure, lost, 3, 3);
    assert.ok(last.outcome.state === 'FAILED' && last.outcome.failure === 'infrastructure' && !last.outcome.retry);
  });

  it('never downgrades an infrastructure failure, and ignores the result of a launcher we killed', () => {
    const infra: JobOutcome = { ...appFailure, failure: 'infrastructure', retry: true };
    const r = refineOutcome(infra, result({ reason: 'rank_failed' }), 1, 3);
    assert.ok(r.outcome.state === 'FAILED' && r.outcome.failure === 'infrastructure' && r.outcome.retry);
    assert.deepEqual(refineOutcome(infra, result({ reason: 'killed', exitCode: 143 }), 1, 3), { outcome: infra, failureKind: 'infrastructure' });
  });

  // The 5-minute chaos run: the launcher's agent was killed -9; a member saw the launcher leave
  // without a result and exited 75 before the master declared the launcher's agent unreachable.
  it('takes a member that exited "gang broken" with no word from the launcher as an infrastructure failure, retried whole', () => {
    const memberBroke: JobOutcome = { ...appFailure, failedRank: 2, failedTaskId: 'JOB_1.1', reason: 'rank 2 failed with TASK_FAILED: Command exited with status 75' };
    const r = refineOutcome(memberBroke, undefined, 1, 3, { exitCode: 75 });
    assert.ok(r.outcome.state === 'FAILED' && r.outcome.failure === 'infrastructure' && r.outcome.retry);
    assert.equal(r.failureKind, 'infrastructure');
    assert.match(r.outcome.state === 'FAILED' ? r.outcome.reason : '', /^the gang broke under a task \(exit code 75: its launcher left without a result, or ZooKeeper was lost\); rank 2 failed/);
    const last = refineOutcome(memberBroke, undefined, 3, 3, { exitCode: 75 });
    assert.ok(last.outcome.state === 'FAILED' && last.outcome.failure === 'infrastructure' && !last.outcome.retry);
    // Any other exit code without a result stays the program's failure.
    assert.deepEqual(refineOutcome(memberBroke, undefined, 1, 3, { exitCode: 3 }), { outcome: memberBroke, failureKind: 'application' });
    // The launcher's own word wins over the member's exit code.
    const r2 = refineOutcome(memberBroke, result({ reason: 'rank_failed', failedRank: 2 }), 1, 3, { exitCode: 75 });
    assert.ok(r2.outcome.state === 'FAILED' && r2.outcome.failure === 'application' && !r2.outcome.retry);
  });

  // The second seed-1 chaos run: tasks launched by a leader killed 5 s later failed (fetching the
  // runtime from it); the next leader learned it only from reconciliation, which carries no cause.
  it('takes a failure seen only by reconciliation, with no result from the launcher, as infrastructure', () => {
    const seen: JobOutcome = { ...appFailure, reason: 'rank 0 failed with TASK_FAILED (REASON_RECONCILIATION): Reconciliation: Latest task state' };
    const r = refineOutcome(seen, undefined, 1, 3, { reason: 'REASON_RECONCILIATION' });
    assert.ok(r.outcome.state === 'FAILED' && r.outcome.failure === 'infrastructure' && r.outcome.retry);
    assert.match(r.outcome.state === 'FAILED' ? r.outcome.reason : '', /^the task ended while no dispatcher was listening \(seen only by reconciliation/);
    // The launcher's result says the program failed: the program's failure, not retried.
    const app = refineOutcome(seen, result({ reason: 'rank_failed', failedRank: 2 }), 1, 3, { reason: 'REASON_RECONCILIATION' });
    assert.ok(app.outcome.state === 'FAILED' && app.outcome.failure === 'application' && !app.outcome.retry);
  });

  it('completes a job whose launcher recorded every rank completed, whatever a member did after', () => {
    const memberFailed: JobOutcome = { ...appFailure, failedRank: 2, failedTaskId: 'JOB_1.1', reason: 'rank 2 failed with TASK_FAILED: Command exited with status 75' };
    const done = result({ state: 'COMPLETED', exitCode: 0, message: 'all 4 rank(s) completed' });
    assert.deepEqual(refineOutcome(memberFailed, done, 1, 3, { exitCode: 75 }), { outcome: { state: 'COMPLETE' }, exitCode: 0 });
    const late: JobOutcome = { state: 'FAILED', reason: 'the job exceeded its wall time', failure: 'wall-time', retry: false };
    assert.deepEqual(refineOutcome(late, done, 1, 3), { outcome: late, failureKind: 'wall-time' });
  });

  it('reads a wall-time verdict as a wall-time failure, never retried', () => {
    const r = refineOutcome(appFailure, result({ reason: 'walltime', exitCode: 124, message: 'the job exceeded its wall time of 3 s' }), 1, 3);
    assert.ok(r.outcome.state === 'FAILED' && r.outcome.failure === 'wall-time' && !r.outcome.retry);
  });

  it('keeps the exit code 0 of a completed job', () => {
    assert.deepEqual(refineOutcome({ state: 'COMPLETE' }, result({ state: 'COMPLETED', exitCode: 0 }), 1, 3), { outcome: { state: 'COMPLETE' }, exitCode: 0 });
  });
});

describe('dispatcher: small pure helpers', () => {
  it('reads the exit code of a command executor message', () => {
    assert.equal(exitCodeFromMessage('Command exited with status 3'), 3);
    assert.equal(exitCodeFromMessage('Command terminated with signal Killed'), undefined);
    assert.equal(exitCodeFromMessage(undefined), undefined);
  });

  it('names the next attempt after the first attempt\'s id', () => {
    assert.equal(nextJobId('JOB_abc', 2), 'JOB_abc-a2');
    assert.equal(nextJobId('JOB_abc-a2', 3), 'JOB_abc-a3');
    assert.throws(() => nextJobId('JOB_abc', 1), /2 or more/);
  });

  it('restores a sealed outcome from a terminal job row', () => {
    assert.deepEqual(outcomeOfJob({ state: 'FAILED', reason: 'agent lost', failureKind: 'infrastructure', failedRank: 2 }),
      { state: 'FAILED', reason: 'agent lost', failure: 'infrastructure', failedRank: 2, retry: false });
    assert.equal(outcomeOfJob({ state: 'ACTIVE', reason: null, failureKind: null, failedRank: null }), undefined);
  });

  it('rebuilds the gang state machine from its rows so a new leader decides alike', () => {
    const g = restoreGangFate(job(), [task(0), task(1, { state: 'TASK_STARTING' })], { maxAttempts: 3, killRetrySeconds: 30 });
    assert.deepEqual(g.handle({ type: 'update', status: { task_id: { value: 'JOB_1.1' }, state: 'TASK_RUNNING', agent_id: { value: 'S1' } } }, 2000), [{ type: 'active' }]);
    const ended = restoreGangFate(job({ state: 'FAILED', reason: 'x', failureKind: 'application' }), [task(0), task(1, { state: 'TASK_FAILED' })], { maxAttempts: 3, killRetrySeconds: 30 });
    const d = ended.handle({ type: 'update', status: { task_id: { value: 'JOB_1.0' }, state: 'TASK_KILLED', agent_id: { value: 'S0' } } }, 2000);
    assert.deepEqual(d, [{ type: 'settled' }], 'the outcome was sealed before: the last task ending settles the gang');
  });

  it('without a wall time the gang has no limit', () => {
    const g = restoreGangFate(job({ gangSpec: { ...job().gangSpec!, wallTimeSeconds: 0 } }), [task(0), task(1)], { maxAttempts: 3, killRetrySeconds: 30 });
    assert.deepEqual(g.handle({ type: 'tick' }, Date.UTC(2100, 0, 1)), []);
  });

  it('reports an ended attempt with the launcher\'s sandbox for the provisioner', () => {
    const tasks = [task(0, { state: 'TASK_FINISHED' }), task(1, { state: 'TASK_FINISHED' })];
    assert.equal(launcherOf(tasks)?.id, 'JOB_1.0');
    const m = jobEndedMessage(job({ state: 'COMPLETE', exitCode: 0 }), tasks, false);
    assert.deepEqual(m.tasks.map((t) => [t.taskId, t.launcher, t.sandboxPath]), [['JOB_1.0', true, '/w/agent1/sandbox'], ['JOB_1.1', false, '/w/agent2/sandbox']]);
    assert.equal(m.state, 'COMPLETE');
    assert.equal(m.exitCode, 0);
    assert.equal(m.retried, false);
    assert.throws(() => jobEndedMessage(job({ state: 'ACTIVE' }), tasks, false), /not ended/);
  });
});
