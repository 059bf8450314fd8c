import assert from 'node:assert/strict';
import { HostfileError, renderHostfile } from '@msched/mpi';

describe('mpi: hostfile', () => {
  const hosts = [{ hostname: 'agent1', slots: 2 }, { hostname: 'node-7.cluster.local', slots: 3 }];

  it('writes one line per task in placement order, with its ranks, in each flavour\'s syntax', () => {
    assert.equal(renderHostfile('openmpi', hosts), 'agent1 slots=2\nnode-7.cluster.local slots=3\n');
    assert.equal(renderHostfile('mpich', hosts), 'agent1:2\nnode-7.cluster.local:3\n');
  });

  it('refuses two tasks on one host, which MPI would silently merge', () => {
    assert.throws(() => renderHostfile('openmpi', [...hosts, { hostname: 'agent1', slots: 1 }]), /agent1 appears twice/);
  });

  it('refuses names that could be read as hostfile syntax, and empty or zero-slot placements', () => {
    for (const hostname of ['a b', 'a:2', 'a#x', '', 'slots=9']) {
      assert.throws(() => renderHostfile('mpich', [{ hostname, slots: 1 }]), HostfileError, hostname);
    }
    assert.throws(() => renderHostfile('mpich', []), /no hosts/);
    assert.throws(() => renderHostfile('mpich', [{ hostname: 'a', slots: 0 }]), /0 slots/);
  });
});
