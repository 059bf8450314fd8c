import assert from 'node:assert/strict';
import { Backoff, backoffDelay, validateBackoffPolicy, type BackoffPolicy } from '@msched/retry';

const policy: BackoffPolicy = { initialMs: 500, maxMs: 30_000, multiplier: 2, jitter: 0.2 };

describe('retry: capped exponential backoff with jitter', () => {
  it('doubles from the initial delay up to the cap when jitter is off', () => {
    const exact = { ...policy, jitter: 0 };
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 100, 1e9].map((n) => backoffDelay(n, exact)), [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  });

  it('spreads each delay over ±jitter, never beyond the cap', () => {
    assert.equal(backoffDelay(1, policy, () => 0), 800);
    assert.equal(backoffDelay(1, policy, () => 0.5), 1000);
    assert.equal(backoffDelay(1, policy, () => 0.999999), 1200);
    assert.equal(backoffDelay(20, policy, () => 0.999999), 30000);
    assert.equal(backoffDelay(20, policy, () => 0), 24000);
  });

  it('counts attempts and starts over after reset', () => {
    const b = new Backoff({ ...policy, jitter: 0 });
    assert.deepEqual([b.next(), b.next(), b.next()], [500, 1000, 2000]);
    assert.equal(b.attempts, 3);
    b.reset();
    assert.equal(b.next(), 500);
  });

  it('refuses a policy that makes no sense', () => {
    assert.deepEqual(validateBackoffPolicy({ initialMs: 0, maxMs: -1, multiplier: 0.5, jitter: 2 }), [
      'initialMs must be > 0, got 0', 'maxMs (-1) must be >= initialMs (0)', 'multiplier must be >= 1, got 0.5', 'jitter must be within 0..1, got 2',
    ]);
    assert.throws(() => new Backoff({ ...policy, maxMs: 1 }), /invalid backoff policy: maxMs \(1\) must be >= initialMs \(500\)/);
  });
});
