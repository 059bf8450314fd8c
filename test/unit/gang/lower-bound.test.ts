import assert from 'node:assert/strict';
import { lowerBound } from '@msched/gang';

describe('lowerBound (binary search of the profiles and id lists)', () => {
  it('finds an element present, the first of equals', () => {
    assert.equal(lowerBound([1, 3, 3, 3, 7], 3), 1);
    assert.equal(lowerBound(['a', 'c', 'e'], 'e'), 2);
  });
  it('gives the insertion point of an absent element, ends included', () => {
    assert.equal(lowerBound([10, 20, 30], 25), 2);
    assert.equal(lowerBound([10, 20, 30], 5), 0);
    assert.equal(lowerBound([10, 20, 30], 35), 3);
    assert.equal(lowerBound([], 1), 0);
  });
  it('agrees with a linear scan on random sorted lists', () => {
    let seed = 42;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 50;
    for (let n = 0; n < 200; n++) {
      const list = Array.from({ length: n % 17 }, rand).sort((a, b) => a - b);
      const x = rand();
      const linear = list.findIndex((v) => v >= x);
      assert.equal(lowerBound(list, x), linear < 0 ? list.length : linear, `${x} in [${list.join(',')}]`);
    }
  });
});
