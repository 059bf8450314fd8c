import assert from 'node:assert/strict';
import { attributesToV0, bag, formatRanges, normalizeRanges, parseAttributes, parseRanges, rangesContain, rangesSize, subtractRanges, toV0 } from '@msched/mesos-local/dist/internals';

const res = (cpus: number, mem: number, ports?: Array<[number, number]>) => bag.fromResources([
  { name: 'cpus', type: 'SCALAR', scalar: { value: cpus } },
  { name: 'mem', type: 'SCALAR', scalar: { value: mem } },
  ...(ports ? [{ name: 'ports', type: 'RANGES' as const, ranges: { range: ports.map(([begin, end]) => ({ begin, end })) } }] : []),
]).bag;

describe('mesos-local resources', () => {
  it('normalises, subtracts and compares port ranges', () => {
    assert.deepEqual(normalizeRanges([{ begin: 5, end: 9 }, { begin: 1, end: 3 }, { begin: 4, end: 4 }]), [{ begin: 1, end: 9 }]);
    assert.deepEqual(subtractRanges([{ begin: 1, end: 10 }], [{ begin: 3, end: 4 }, { begin: 10, end: 12 }]), [{ begin: 1, end: 2 }, { begin: 5, end: 9 }]);
    assert.ok(rangesContain([{ begin: 1, end: 10 }], [{ begin: 2, end: 2 }, { begin: 9, end: 10 }]));
    assert.ok(!rangesContain([{ begin: 1, end: 10 }], [{ begin: 10, end: 11 }]));
    assert.equal(rangesSize([{ begin: 31000, end: 31015 }]), 16);
    assert.equal(formatRanges([{ begin: 31020, end: 31020 }, { begin: 31000, end: 31009 }]), '[31000-31009, 31020-31020]');
    assert.deepEqual(parseRanges('[31000-31009,31020-31020]'), [{ begin: 31000, end: 31009 }, { begin: 31020, end: 31020 }]);
    assert.throws(() => parseRanges('9-1'), /ends before it begins/);
  });

  it('adds, subtracts and checks containment of scalars and ranges with three decimals', () => {
    const total = res(4, 4096, [[31000, 31015]]);
    const task = res(0.1, 32, [[31000, 31000]]);
    const left = bag.subtract(total, task);
    assert.equal(bag.scalar(left, 'cpus'), 3.9);
    assert.deepEqual(bag.ranges(left, 'ports'), [{ begin: 31001, end: 31015 }]);
    assert.ok(bag.contains(total, task));
    assert.ok(!bag.contains(left, task), 'port 31000 is gone');
    assert.equal(bag.scalar(bag.add(res(0.1, 0), res(0.2, 0)), 'cpus'), 0.3, 'no floating point dust');
    assert.deepEqual(bag.shortfall(res(1, 100), res(2, 50)), ['cpus: wants 2, has 1']);
    assert.ok(bag.isEmpty(bag.subtract(res(1, 1), res(1, 1))));
  });

  it('keeps a reason for each resource it cannot read', () => {
    const { problems } = bag.fromResources([{ name: 'cpus', type: 'SCALAR' }, { name: 'mem', type: 'SCALAR', scalar: { value: -1 } }, { name: 'p', type: 'RANGES', ranges: { range: [{ begin: 5, end: 1 }] } }]);
    assert.deepEqual(problems, [
      "Invalid resource 'cpus': SCALAR resource without a scalar value",
      "Invalid resource 'mem': negative scalar value",
      "Invalid resource 'p': range with begin > end or non-integer bounds",
    ]);
  });

  it('renders v1 resources (unreserved, allocated to a role) and v0 maps', () => {
    const json = bag.toResources(res(2, 1024, [[31000, 31001]]), 'mpi');
    assert.deepEqual(json[0], { name: 'cpus', type: 'SCALAR', scalar: { value: 2 }, role: '*', allocation_info: { role: 'mpi' } });
    assert.deepEqual(json.map((r) => r.name), ['cpus', 'mem', 'ports']);
    assert.deepEqual(toV0(res(2, 1024, [[31000, 31001]])), { cpus: 2, gpus: 0, mem: 1024, disk: 0, ports: '[31000-31001]' });
  });

  it('parses agent attributes in flag syntax', () => {
    const attrs = parseAttributes('rack:r1; gen:3;slots:[1-4];tags:{a,b}');
    assert.deepEqual(attrs, [
      { name: 'rack', type: 'TEXT', text: { value: 'r1' } },
      { name: 'gen', type: 'SCALAR', scalar: { value: 3 } },
      { name: 'slots', type: 'RANGES', ranges: { range: [{ begin: 1, end: 4 }] } },
      { name: 'tags', type: 'SET', set: { item: ['a', 'b'] } },
    ]);
    assert.deepEqual(attributesToV0(attrs), { rack: 'r1', gen: 3, slots: '[1-4]', tags: '{a, b}' });
    assert.throws(() => parseAttributes('novalue'), /not name:value/);
  });
});
