import assert from 'node:assert/strict';
import { AgentStanding, KnownTask, reconcileAnswers } from '@msched/mesos-local/dist/internals';

const standing: Record<string, AgentStanding> = { reg: 'registered', rec: 'recovering', unr: 'unreachable', gone: 'gone' };
const known: KnownTask[] = [
  { taskId: 'run', agentId: 'reg', state: 'TASK_RUNNING', latest: { task_id: { value: 'run' }, state: 'TASK_RUNNING', data: 'ZGF0YQ==' } },
  { taskId: 'cut', agentId: 'unr', state: 'TASK_UNREACHABLE' },
];
const answers = (partitionAware: boolean, req: Array<{ taskId: string; agentId?: string }>, anyAgentRecovering = false) =>
  reconcileAnswers({ partitionAware, knownTasks: known, agentStanding: (id) => standing[id] ?? 'unknown', anyAgentRecovering, now: 5000 }, req);

describe('mesos-local reconciliation answers', () => {
  it('implicit: the latest state of every known task, from the master, without uuid', () => {
    const a = answers(true, []);
    assert.deepEqual(a.map((s) => [s.task_id.value, s.state]), [['run', 'TASK_RUNNING'], ['cut', 'TASK_UNREACHABLE']]);
    assert.ok(a.every((s) => s.source === 'SOURCE_MASTER' && s.reason === 'REASON_RECONCILIATION' && s.uuid === undefined && s.timestamp === 5));
    assert.equal(a[0].data, 'ZGF0YQ==');
    assert.equal(answers(false, [])[1].state, 'TASK_LOST', 'not partition-aware: LOST');
  });

  it('explicit: by the standing of the agent for unknown tasks; silence while it may still come back', () => {
    const req = [
      { taskId: 'run', agentId: 'reg' }, { taskId: 'x1', agentId: 'reg' }, { taskId: 'x2', agentId: 'unr' }, { taskId: 'x3', agentId: 'gone' },
      { taskId: 'x4', agentId: 'nobody' }, { taskId: 'x5', agentId: 'rec' }, { taskId: 'x6' },
    ];
    assert.deepEqual(answers(true, req).map((s) => [s.task_id.value, s.state]), [
      ['run', 'TASK_RUNNING'], ['x1', 'TASK_GONE'], ['x2', 'TASK_UNREACHABLE'], ['x3', 'TASK_GONE_BY_OPERATOR'], ['x4', 'TASK_UNKNOWN'], ['x6', 'TASK_UNKNOWN'],
    ]);
    assert.deepEqual(answers(false, req).map((s) => s.state), ['TASK_RUNNING', 'TASK_LOST', 'TASK_LOST', 'TASK_LOST', 'TASK_LOST', 'TASK_LOST']);
    assert.deepEqual(answers(true, [{ taskId: 'x6' }], true), [], 'no agent given while agents are recovering: no answer');
  });
});
