import assert from 'node:assert/strict';
import { predecessorOf, sequenceOf } from '@msched/zk';

describe('leader election (pure)', () => {
  it('reads the 10-digit sequence ZooKeeper appends', () => {
    assert.equal(sequenceOf('candidate_0000000042'), 42);
    assert.equal(sequenceOf('junk'), Number.POSITIVE_INFINITY);
  });

  it('the lowest candidate has no predecessor; the others watch the next lower one', () => {
    const kids = ['candidate_0000000007', 'candidate_0000000003', 'candidate_0000000011', 'other_0000000001'];
    assert.equal(predecessorOf('candidate_0000000003', kids), null);
    assert.equal(predecessorOf('candidate_0000000007', kids), 'candidate_0000000003');
    assert.equal(predecessorOf('candidate_0000000011', kids), 'candidate_0000000007');
  });
});
