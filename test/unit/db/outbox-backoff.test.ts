import assert from 'node:assert/strict';
import { backoffDelay } from '@msched/outbox';

describe('relay backoff', () => {
  const p = { initialMs: 100, maxMs: 1000, jitter: 0.2 };
  it('doubles from the initial delay up to the cap', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 9].map((n) => backoffDelay(n, p, () => 1)), [100, 200, 400, 800, 1000, 1000]);
  });
  it('randomizes only the jitter fraction', () => {
    assert.equal(backoffDelay(3, p, () => 0), 320);
    assert.equal(backoffDelay(3, p, () => 0.5), 360);
  });
});
