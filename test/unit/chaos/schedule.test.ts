import assert from 'node:assert/strict';
import { FAULT_KINDS, faultSchedule, parseChaosArgs, parseDuration, parseFaultKinds, seededRng } from '@msched/chaos';

describe('chaos: the seeded fault schedule and the command line', () => {
  const base = { seed: 1, durationMs: 5 * 60_000, rate: 4, kinds: [...FAULT_KINDS], agents: 4 };

  it('gives the same schedule for the same seed, and another for another seed', () => {
    assert.deepEqual(faultSchedule(base), faultSchedule({ ...base }));
    assert.notDeepEqual(faultSchedule(base), faultSchedule({ ...base, seed: 2 }));
  });

  it('spreads rate x minutes faults over the first 85 % of the run, in time order', () => {
    const s = faultSchedule(base);
    assert.equal(s.length, 20);
    for (let i = 1; i < s.length; i++) assert.ok(s[i].atMs >= s[i - 1].atMs, 'sorted');
    assert.ok(s.every((f) => f.atMs >= 0 && f.atMs <= base.durationMs * 0.85));
  });

  it('draws only the kinds asked for, with targets that exist', () => {
    const s = faultSchedule({ ...base, rate: 30, kinds: ['kill-agent', 'kill-api'] });
    assert.deepEqual([...new Set(s.map((f) => f.kind))].sort(), ['kill-agent', 'kill-api']);
    assert.ok(s.filter((f) => f.kind === 'kill-agent').every((f) => f.target >= 0 && f.target < 4));
    assert.ok(s.filter((f) => f.kind === 'kill-api').every((f) => f.target === 0 || f.target === 1));
    assert.ok(new Set(s.filter((f) => f.kind === 'kill-agent').map((f) => f.target)).size > 1, 'more than one agent is struck');
    assert.deepEqual(faultSchedule({ ...base, kinds: [] }), []);
  });

  it('the generator is deterministic and in [0, 1)', () => {
    const a = seededRng(42);
    const b = seededRng(42);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(xs, Array.from({ length: 1000 }, () => b()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
  });

  it('parses durations, fault lists and flags, naming what is wrong', () => {
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('2m30s'), 150_000);
    assert.equal(parseDuration('45'), 45_000);
    assert.throws(() => parseDuration('5 minutes'), /not a duration/);
    assert.deepEqual(parseFaultKinds('kill-api,kafka-outage'), ['kill-api', 'kafka-outage']);
    assert.throws(() => parseFaultKinds('kill-api,bogus'), /unknown fault kind\(s\) bogus/);
    const a = parseChaosArgs(['--seed', '7', '--duration', '3m', '--rate=1.5', '--faults', 'pg-restart']);
    assert.deepEqual([a.seed, a.durationMs, a.rate, a.faults], [7, 180_000, 1.5, ['pg-restart']]);
    assert.throws(() => parseChaosArgs(['--rate', '-1']), /--rate needs a number >= 0/);
    assert.throws(() => parseChaosArgs(['--bogus']), /unknown option --bogus/);
    assert.deepEqual(parseChaosArgs([]).gangSeconds, { min: 3, max: 20 });
    assert.deepEqual(parseChaosArgs(['--gang-seconds', '3-6']).gangSeconds, { min: 3, max: 6 });
    assert.throws(() => parseChaosArgs(['--gang-seconds', '6-3']), /--gang-seconds needs MIN-MAX/);
    assert.equal(parseChaosArgs(['--agent-cpus', '4']).agentCpus, 4);
  });
});
