import assert from 'node:assert/strict';
import { OfferView, bag, planAccept } from '@msched/mesos-local/dist/internals';
import type { Operation, TaskInfo } from '@msched/mesos-local';

const res = (cpus: number, mem: number, ports?: [number, number]) => bag.fromResources([
  { name: 'cpus', type: 'SCALAR', scalar: { value: cpus } },
  { name: 'mem', type: 'SCALAR', scalar: { value: mem } },
  ...(ports ? [{ name: 'ports', type: 'RANGES' as const, ranges: { range: [{ begin: ports[0], end: ports[1] }] } }] : []),
]).bag;
const offers: Record<string, OfferView> = {
  o1: { id: 'o1', frameworkId: 'F', agentId: 'a1', role: 'mpi', resources: res(4, 4096, [31000, 31009]) },
  o2: { id: 'o2', frameworkId: 'F', agentId: 'a1', role: 'mpi', resources: res(2, 1024) },
  o3: { id: 'o3', frameworkId: 'F', agentId: 'a2', role: 'mpi', resources: res(4, 4096) },
  theirs: { id: 'theirs', frameworkId: 'G', agentId: 'a1', role: 'mpi', resources: res(4, 4096) },
};
const task = (id: string, cpus: number, mem: number, extra: Partial<TaskInfo> = {}): TaskInfo => ({
  name: id, task_id: { value: id }, agent_id: { value: 'a1' }, command: { value: 'true' },
  resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: cpus } }, { name: 'mem', type: 'SCALAR', scalar: { value: mem } }], ...extra,
});
const launch = (...tasks: TaskInfo[]): Operation => ({ type: 'LAUNCH', launch: { task_infos: tasks } });
const plan = (offerIds: string[], operations: Operation[], inUse: string[] = []) => planAccept({
  frameworkId: 'F', offerIds, operations, lookupOffer: (id) => offers[id], taskIdInUse: (id) => inUse.includes(id), executorInUse: () => false,
});

describe('mesos-local ACCEPT planning', () => {
  it('refuses bad offer sets as a whole, keeping the reason and the tasks to drop', () => {
    const cases: Array<[string[], RegExp]> = [
      [['nope'], /Offer nope is no longer valid/],
      [['theirs'], /Offer theirs has invalid framework G/],
      [['o1', 'o3'], /Aggregated offers must belong to one single agent/],
      [['o1', 'o1'], /Duplicate offer o1/],
      [[], /No offers specified/],
    ];
    for (const [ids, reason] of cases) {
      const p = plan(ids, [launch(task('t1', 1, 1))]);
      assert.equal(p.kind, 'invalid-offers', ids.join(','));
      if (p.kind === 'invalid-offers') {
        assert.match(p.error, reason);
        assert.deepEqual(p.tasks.map((t) => t.task_id.value), ['t1']);
      }
    }
    const mixed = plan(['o1', 'o3'], []);
    assert.ok(mixed.kind === 'invalid-offers' && mixed.validOfferIds.join() === 'o1,o3', 'valid offers are handed back');
  });

  it('launches tasks in order from the pooled offers of one agent and returns what is left', () => {
    const p = plan(['o1', 'o2'], [launch(task('t1', 3, 2048), task('t2', 3, 2048), task('t3', 1, 1))]);
    assert.equal(p.kind, 'ok');
    if (p.kind !== 'ok') return;
    assert.deepEqual(p.launches.map((l) => (l.kind === 'task' ? l.task.task_id.value : '')), ['t1', 't2']);
    assert.equal(p.rejections.length, 1);
    assert.equal(p.rejections[0].task.task_id.value, 't3');
    assert.match(p.rejections[0].message, /Task uses more resources .* than available/);
    assert.equal(bag.scalar(p.unused, 'cpus'), 0);
    assert.equal(bag.scalar(p.unused, 'mem'), 1024);
    assert.deepEqual(bag.ranges(p.unused, 'ports'), [{ begin: 31000, end: 31009 }]);
  });

  it('rejects invalid tasks one by one with TASK_ERROR reasons', () => {
    const p = plan(['o1'], [launch(
      task('dup', 1, 1),
      task('bad/id', 1, 1),
      task('elsewhere', 1, 1, { agent_id: { value: 'a2' } }),
      task('nocmd', 1, 1, { command: undefined }),
      task('custom', 1, 1, { command: undefined, executor: { executor_id: { value: 'e' }, command: { value: 'x' } } }),
      task('port', 0.1, 1, { resources: [{ name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 40000, end: 40000 }] } }] }),
      task('again', 1, 1), task('again', 1, 1),
    )], ['dup']);
    assert.ok(p.kind === 'ok');
    if (p.kind !== 'ok') return;
    const byId = Object.fromEntries(p.rejections.map((r) => [r.task.task_id.value, r.message]));
    assert.match(byId.dup, /duplicate ID/);
    assert.match(byId['bad/id'], /invalid characters/);
    assert.match(byId.elsewhere, /invalid agent: a2/);
    assert.match(byId.nocmd, /at least one \(but not both\)/);
    assert.match(byId.custom, /Custom executors are not supported/);
    assert.match(byId.port, /ports: wants 40000-40000, has 31000-31009/);
    assert.match(byId.again, /duplicate ID: again/);
    assert.deepEqual(p.launches.map((l) => (l.kind === 'task' ? l.task.task_id.value : '')), ['again']);
    assert.ok(p.rejections.every((r) => r.reason === 'REASON_TASK_INVALID'));
  });

  it('launches a task group whole or rejects every task of it', () => {
    const group = (tasks: TaskInfo[], executorType: 'DEFAULT' | 'CUSTOM' = 'DEFAULT'): Operation => ({
      type: 'LAUNCH_GROUP',
      launch_group: { executor: { type: executorType, executor_id: { value: 'ex' }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } }] }, task_group: { tasks } },
    });
    const ok = plan(['o1'], [group([task('g1', 1, 100), task('g2', 1, 100)])]);
    assert.ok(ok.kind === 'ok' && ok.launches.length === 1 && ok.launches[0].kind === 'group');
    if (ok.kind === 'ok') assert.equal(bag.scalar(ok.unused, 'cpus'), 1.5);
    const big = plan(['o1'], [group([task('g1', 2, 100), task('g2', 2, 100)])]);
    assert.ok(big.kind === 'ok' && big.launches.length === 0 && big.rejections.length === 2);
    if (big.kind === 'ok') {
      assert.ok(big.rejections.every((r) => r.reason === 'REASON_TASK_GROUP_INVALID'));
      assert.match(big.rejections[0].message, /Task group uses more resources/);
    }
    const custom = plan(['o1'], [group([task('g1', 1, 1)], 'CUSTOM')]);
    assert.ok(custom.kind === 'ok' && /must be 'DEFAULT'/.test(custom.rejections[0].message));
  });

  it('ignores operations the local cluster does not support, saying which', () => {
    const p = plan(['o1'], [{ type: 'RESERVE' }, launch(task('t1', 1, 1))]);
    assert.ok(p.kind === 'ok');
    if (p.kind === 'ok') {
      assert.deepEqual(p.ignoredOperations, ['RESERVE']);
      assert.equal(p.launches.length, 1);
    }
  });
});
