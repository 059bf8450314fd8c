import assert from 'node:assert/strict';
import { renderRankSpec } from '@msched/mpi';

describe('mpi: the rank spec the native wrapper reads', () => {
  it('is the directory then NAME=value entries, each NUL-terminated, values kept literally', () => {
    const spec = renderRankSpec('/sandbox/a b', { A: '1', B: 'x=y; $(rm -rf /)', EMPTY: '' });
    assert.deepEqual(spec.toString().split('\0'), ['/sandbox/a b', 'A=1', 'B=x=y; $(rm -rf /)', 'EMPTY=', '']);
  });

  it('leaves out entries that cannot be an environment entry', () => {
    const spec = renderRankSpec('/s', { 'A=B': '1', 'C': 'has\0nul', OK: 'yes' });
    assert.deepEqual(spec.toString().split('\0'), ['/s', 'OK=yes', '']);
  });
});
