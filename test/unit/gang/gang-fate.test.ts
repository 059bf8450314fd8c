import assert from 'node:assert/strict';
import { GangFate, type GangAttemptPlan, type GangDecision, type GangEvent, type JobOutcome } from '@msched/gang';
import type { TaskState, TaskStatus } from '@msched/mesos';

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);

const plan = (p: Partial<GangAttemptPlan> = {}): GangAttemptPlan => ({
  jobId: 'job7',
  attempt: 1,
  maxAttempts: 3,
  wallTimeSeconds: 600,
  launchedAt: T0,
  tasks: [
    { taskId: 'job7.a1.t0', agentId: 'S1', ranks: [0, 1] },
    { taskId: 'job7.a1.t1', agentId: 'S2', ranks: [2, 3] },
  ],
  ...p,
});

const agentOf = (taskId: string) => (taskId.endsWith('t0') ? 'S1' : 'S2');

function update(task: 't0' | 't1', state: TaskState, extra: Partial<TaskStatus> = {}): GangEvent {
  const taskId = `job7.a1.${task}`;
  return { type: 'update', status: { task_id: { value: taskId }, state, agent_id: { value: agentOf(taskId) }, ...extra } };
}

/** Feeds events at time `at` and returns every decision, in order. */
function feed(g: GangFate, events: GangEvent[], at = T0 + 1000): GangDecision[] {
  return events.flatMap((e) => g.handle(e, at));
}

const outcomes = (d: GangDecision[]): JobOutcome[] => d.flatMap((x) => (x.type === 'outcome' ? [x.outcome] : []));
const kills = (d: GangDecision[]): string[] => d.flatMap((x) => (x.type === 'kill' ? x.tasks.map((t) => t.taskId) : []));
const types = (d: GangDecision[]): string[] => d.map((x) => x.type);

describe('gang lifecycle: one fate for all ranks', () => {
  it('becomes active only when every task runs, once', () => {
    const g = new GangFate(plan());
    assert.deepEqual(feed(g, [update('t0', 'TASK_STAGING'), update('t0', 'TASK_STARTING'), update('t0', 'TASK_RUNNING'), update('t1', 'TASK_STARTING')]), []);
    assert.deepEqual(types(feed(g, [update('t1', 'TASK_RUNNING')])), ['active']);
    assert.deepEqual(feed(g, [update('t1', 'TASK_RUNNING'), update('t0', 'TASK_RUNNING')]), []);
    assert.equal(g.view().phase, 'running');
  });

  it('completes when every task finished, and then has nothing left to settle', () => {
    const g = new GangFate(plan());
    feed(g, [update('t0', 'TASK_RUNNING'), update('t1', 'TASK_RUNNING'), update('t0', 'TASK_FINISHED')]);
    const d = feed(g, [update('t1', 'TASK_FINISHED')]);
    assert.deepEqual(d, [{ type: 'outcome', outcome: { state: 'COMPLETE' } }, { type: 'settled' }]);
  });

  it('fails the whole gang on a non-zero exit, naming the rank, and kills the others', () => {
    const g = new GangFate(plan());
    feed(g, [update('t0', 'TASK_RUNNING'), update('t1', 'TASK_RUNNING')]);
    const d = feed(g, [update('t1', 'TASK_FAILED', { reason: 'REASON_COMMAND_EXECUTOR_FAILED', message: 'Command exited with status 3', source: 'SOURCE_EXECUTOR' })]);
    assert.deepEqual(outcomes(d), [{
      state: 'FAILED',
      failure: 'application',
      reason: 'rank 2 failed with TASK_FAILED (REASON_COMMAND_EXECUTOR_FAILED): Command exited with status 3 [task job7.a1.t1 on agent S2, ranks 2-3]',
      failedRank: 2,
      failedTaskId: 'job7.a1.t1',
      retry: false,
    }]);
    assert.deepEqual(kills(d), ['job7.a1.t0']);
    assert.deepEqual(types(feed(g, [update('t0', 'TASK_KILLING'), update('t0', 'TASK_KILLED')])), ['settled']);
    assert.equal(g.view().phase, 'settled');
  });

  it('treats a lost agent as an infrastructure failure, retried while attempts remain', () => {
    const first = new GangFate(plan());
    const d = feed(first, [update('t0', 'TASK_RUNNING'), update('t0', 'TASK_LOST', { reason: 'REASON_AGENT_REMOVED', source: 'SOURCE_MASTER' })]);
    const [o] = outcomes(d);
    assert.equal(o.state === 'FAILED' && o.failure, 'infrastructure');
    assert.equal(o.state === 'FAILED' && o.retry, true);
    // LOST is not terminal: the task is killed too, in case its agent comes back.
    assert.deepEqual(kills(d), ['job7.a1.t0', 'job7.a1.t1']);

    const last = new GangFate(plan({ attempt: 3 }));
    const [o3] = outcomes(feed(last, [update('t1', 'TASK_GONE', { reason: 'REASON_AGENT_REMOVED' })]));
    assert.deepEqual(o3.state === 'FAILED' && [o3.failure, o3.retry], ['infrastructure', false]);
  });

  it('treats a dropped launch or a refused task description as an infrastructure failure of the attempt', () => {
    const dropped = outcomes(feed(new GangFate(plan()), [update('t0', 'TASK_DROPPED', { reason: 'REASON_INVALID_OFFERS', source: 'SOURCE_MASTER' })]));
    assert.equal(dropped[0].state === 'FAILED' && dropped[0].failure, 'infrastructure');
    const refused = outcomes(feed(new GangFate(plan()), [update('t1', 'TASK_ERROR', { reason: 'REASON_TASK_INVALID', message: 'Task uses more resources than offered' })]));
    assert.equal(refused[0].state === 'FAILED' && refused[0].failure, 'infrastructure');
  });

  it('blames the program for a kill it did not ask for and for a memory limit', () => {
    const killed = outcomes(feed(new GangFate(plan()), [update('t0', 'TASK_RUNNING'), update('t0', 'TASK_KILLED')]));
    assert.deepEqual(killed[0].state === 'FAILED' && [killed[0].failure, killed[0].failedRank], ['application', 0]);
    const oom = outcomes(feed(new GangFate(plan()), [update('t1', 'TASK_RUNNING'), update('t1', 'TASK_FAILED', { reason: 'REASON_CONTAINER_LIMITATION_MEMORY' })]));
    assert.equal(oom[0].state === 'FAILED' && oom[0].failure, 'application');
  });

  it('fails an MPI gang when a rank becomes unreachable, and settles without waiting for that agent', () => {
    const g = new GangFate(plan());
    feed(g, [update('t0', 'TASK_RUNNING'), update('t1', 'TASK_RUNNING')]);
    const [o] = outcomes(feed(g, [update('t1', 'TASK_UNREACHABLE', { reason: 'REASON_AGENT_DISCONNECTED' })]));
    assert.equal(o.state === 'FAILED' && o.failure, 'infrastructure');
    assert.deepEqual(types(feed(g, [update('t0', 'TASK_KILLED')])), ['settled']);
  });

  it('kills again a task that comes back to life after the gang ended', () => {
    const g = new GangFate(plan());
    feed(g, [update('t0', 'TASK_RUNNING'), update('t1', 'TASK_RUNNING'), update('t1', 'TASK_UNREACHABLE'), update('t0', 'TASK_KILLED')]);
    const d = feed(g, [update('t1', 'TASK_RUNNING')]);
    assert.deepEqual(kills(d), ['job7.a1.t1']);
    assert.deepEqual(outcomes(d), []);
  });

  it('ignores duplicates, stale states and anything after a terminal state', () => {
    const g = new GangFate(plan());
    feed(g, [update('t0', 'TASK_RUNNING'), update('t1', 'TASK_RUNNING')]);
    assert.deepEqual(feed(g, [update('t0', 'TASK_STARTING'), update('t0', 'TASK_STAGING'), update('t0', 'TASK_RUNNING')]), []);
    assert.equal(g.view().tasks[0].state, 'TASK_RUNNING');
    feed(g, [update('t0', 'TASK_FINISHED')]);
    assert.deepEqual(feed(g, [update('t0', 'TASK_FAILED'), update('t0', 'TASK_RUNNING'), update('t0', 'TASK_FINISHED')]), []);
    assert.deepEqual(outcomes(feed(g, [update('t1', 'TASK_FINISHED')])), [{ state: 'COMPLETE' }]);
    assert.deepEqual(feed(g, [update('t1', 'TASK_FINISHED'), update('t1', 'TASK_FAILED')]), []);
  });

  it('ignores updates of tasks that are not its own', () => {
    const g = new GangFate(plan());
    assert.equal(g.owns('other.t0'), false);
    assert.deepEqual(g.handle({ type: 'update', status: { task_id: { value: 'other.t0' }, state: 'TASK_FAILED' } }, T0), []);
  });

  it('kills and fails a gang still running at its wall time, and repeats kills that go unanswered', () => {
    const g = new GangFate(plan(), { killRetrySeconds: 30 });
    feed(g, [update('t0', 'TASK_RUNNING'), update('t1', 'TASK_RUNNING')]);
    assert.deepEqual(g.handle({ type: 'tick' }, T0 + 599_999), []);
    const d = g.handle({ type: 'tick' }, T0 + 600_000);
    assert.deepEqual(outcomes(d), [{ state: 'FAILED', failure: 'wall-time', reason: 'wall time limit of 10 min reached', retry: false }]);
    assert.deepEqual(kills(d), ['job7.a1.t0', 'job7.a1.t1']);
    g.handle(update('t0', 'TASK_KILLED'), T0 + 601_000);
    assert.deepEqual(g.handle({ type: 'tick' }, T0 + 629_999), []);
    assert.deepEqual(kills(g.handle({ type: 'tick' }, T0 + 630_000)), ['job7.a1.t1']);
    assert.deepEqual(types(g.handle(update('t1', 'TASK_KILLED'), T0 + 631_000)), ['settled']);
    assert.deepEqual(g.handle({ type: 'tick' }, T0 + 700_000), []);
  });

  it('cancels: kills every live task and ends CANCELED; a second cancel or a late one does nothing', () => {
    const g = new GangFate(plan());
    feed(g, [update('t0', 'TASK_RUNNING')]);
    const d = feed(g, [{ type: 'cancel', reason: 'canceled through the API' }]);
    assert.deepEqual(outcomes(d), [{ state: 'CANCELED', reason: 'canceled through the API' }]);
    assert.deepEqual(kills(d), ['job7.a1.t0', 'job7.a1.t1']);
    assert.deepEqual(feed(g, [{ type: 'cancel' }]), []);
    // A rank that finished just before the kill landed does not turn a cancel into success.
    assert.deepEqual(types(feed(g, [update('t0', 'TASK_FINISHED'), update('t1', 'TASK_KILLED')])), ['settled']);
    assert.deepEqual(g.view().outcome, { state: 'CANCELED', reason: 'canceled through the API' });

    const done = new GangFate(plan());
    feed(done, [update('t0', 'TASK_FINISHED'), update('t1', 'TASK_FINISHED')]);
    assert.deepEqual(feed(done, [{ type: 'cancel' }]), []);
  });

  it('fails the attempt when the ACCEPT for one agent fails, killing what was launched elsewhere', () => {
    const g = new GangFate(plan());
    const d = feed(g, [{ type: 'launchFailed', agentId: 'S2', reason: 'ACCEPT answered 503' }]);
    assert.deepEqual(outcomes(d), [{
      state: 'FAILED', failure: 'infrastructure', reason: 'launching ranks 2-3 on agent S2 failed: ACCEPT answered 503',
      failedRank: 2, failedTaskId: 'job7.a1.t1', retry: true,
    }]);
    assert.deepEqual(kills(d), ['job7.a1.t0']);
    assert.deepEqual(types(feed(g, [update('t0', 'TASK_KILLED', { reason: 'REASON_TASK_KILLED_DURING_LAUNCH' })])), ['settled']);
  });

  it('fails on a FAILURE event for an agent holding live ranks', () => {
    const g = new GangFate(plan());
    feed(g, [update('t0', 'TASK_RUNNING'), update('t1', 'TASK_RUNNING')]);
    assert.deepEqual(feed(g, [{ type: 'agentLost', agentId: 'S9' }]), []);
    const [o] = outcomes(feed(g, [{ type: 'agentLost', agentId: 'S1' }]));
    assert.deepEqual(o.state === 'FAILED' && [o.failure, o.failedRank, o.reason], ['infrastructure', 0, 'agent S1 was lost with ranks 0-1 [task job7.a1.t0]']);
  });

  it('resumes from the DB after a failover without repeating what was already decided', () => {
    const states = new Map([['job7.a1.t0', 'TASK_RUNNING' as const], ['job7.a1.t1', 'TASK_RUNNING' as const]]);
    const running = new GangFate(plan(), {}, { states });
    assert.equal(running.view().phase, 'running');
    assert.deepEqual(feed(running, [update('t0', 'TASK_RUNNING')]), []);

    const ended = new GangFate(plan(), {}, {
      states: new Map([['job7.a1.t0', 'TASK_FAILED' as const], ['job7.a1.t1', 'TASK_KILLED' as const]]),
      outcome: { state: 'FAILED', failure: 'application', reason: 'x', retry: false },
    });
    assert.equal(ended.view().phase, 'settled');
    assert.deepEqual(feed(ended, [update('t1', 'TASK_KILLED'), { type: 'tick' }]), []);
  });
});
