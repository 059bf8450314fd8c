import assert from 'node:assert/strict';
import { DeclineFilters, allocate, bag } from '@msched/mesos-local/dist/internals';

const res = (cpus: number, mem: number) => bag.fromResources([{ name: 'cpus', type: 'SCALAR', scalar: { value: cpus } }, { name: 'mem', type: 'SCALAR', scalar: { value: mem } }]).bag;
const agent = (id: string, cpus = 4, mem = 4096, active = true) => ({ id, available: res(cpus, mem), active });
const fw = (id: string, roles = ['mpi'], suppressed: string[] = [], active = true) => ({ id, roles, suppressedRoles: new Set(suppressed), active });
const never = () => null;

describe('mesos-local allocator', () => {
  it('offers each agent whole to one framework, round-robin across cycles', () => {
    const first = allocate({ agents: [agent('a1'), agent('a2')], frameworks: [fw('F1'), fw('F2')], filteredUntil: never, cursor: 0 });
    assert.deepEqual(first.grants.map((g) => [g.agentId, g.frameworkId, g.role]), [['a1', 'F1', 'mpi'], ['a2', 'F2', 'mpi']]);
    const next = allocate({ agents: [agent('a1')], frameworks: [fw('F1'), fw('F2')], filteredUntil: never, cursor: first.cursor });
    assert.equal(next.grants[0].frameworkId, 'F1');
    const after = allocate({ agents: [agent('a1')], frameworks: [fw('F1'), fw('F2')], filteredUntil: never, cursor: next.cursor });
    assert.equal(after.grants[0].frameworkId, 'F2');
  });

  it('skips suppressed roles, inactive frameworks, inactive or empty agents, and filtered pairs, saying why', () => {
    const r = allocate({
      agents: [agent('a1'), agent('gone', 4, 4096, false), agent('tiny', 0.001, 16), agent('a2')],
      frameworks: [fw('F1', ['mpi'], ['mpi']), fw('F2', ['mpi'], [], false), fw('F3')],
      filteredUntil: (f, a) => (f === 'F3' && a === 'a2' ? 1_000 : null),
      cursor: 0,
    });
    assert.deepEqual(r.grants.map((g) => [g.agentId, g.frameworkId]), [['a1', 'F3']]);
    assert.deepEqual(r.skips.map((s) => [s.agentId, s.frameworkId, s.reason.split(' ')[0]]), [
      ['gone', undefined, 'agent'], ['tiny', undefined, 'nothing'], ['a2', 'F3', 'declined'],
    ]);
    const none = allocate({ agents: [agent('a1')], frameworks: [], filteredUntil: never, cursor: 0 });
    assert.match(none.skips[0].reason, /no active framework/);
  });

  it('offers a multi-role framework under each of its roles in turn', () => {
    const r = allocate({ agents: [agent('a1'), agent('a2')], frameworks: [fw('F1', ['mpi', 'serial'])], filteredUntil: never, cursor: 0 });
    assert.deepEqual(r.grants.map((g) => g.role), ['mpi', 'serial']);
  });

  it('a decline filter holds back what it covers until it expires; more resources or REVIVE lift it', () => {
    const f = new DeclineFilters();
    f.add('F1', 'a1', res(2, 1024), 10, 0);
    assert.equal(f.filteredUntil('F1', 'a1', res(2, 1024), 5_000), 10_000);
    assert.equal(f.filteredUntil('F1', 'a1', res(1, 512), 5_000), 10_000, 'less than declined stays filtered');
    assert.equal(f.filteredUntil('F1', 'a1', res(4, 1024), 5_000), null, 'more than declined is offered again');
    assert.equal(f.filteredUntil('F2', 'a1', res(2, 1024), 5_000), null, 'other frameworks are not affected');
    assert.equal(f.filteredUntil('F1', 'a1', res(2, 1024), 10_000), null, 'expired');
    f.add('F1', 'a1', res(2, 1024), 10, 0);
    f.clearFramework('F1');
    assert.equal(f.filteredUntil('F1', 'a1', res(2, 1024), 1), null);
    f.add('F1', 'a1', res(2, 1024), 0, 0);
    assert.equal(f.size, 0, 'refuse_seconds 0 sets no filter');
  });
});
