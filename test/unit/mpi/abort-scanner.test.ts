import assert from 'node:assert/strict';
import { AbortScanner, findMpiAbort, hostOfRank } from '@msched/mpi';

describe('mpi: recognising MPI_Abort in the launcher\'s stderr', () => {
  // As printed by mpirun.openmpi 4.1.4 and by MPICH 4.0.2 ranks on this machine.
  const OPENMPI = '--------------------------------------------------------------------------\n'
    + 'MPI_ABORT was invoked on rank 2 in communicator MPI_COMM_WORLD\nwith errorcode 5.\n\n'
    + 'NOTE: invoking MPI_ABORT causes Open MPI to kill all MPI processes.\n';
  const MPICH = 'Abort(5) on node 2 (rank 2 in comm 0): application called MPI_Abort(MPI_COMM_WORLD, 5) - process 2\n'
    + '[proxy:0:0@vm] HYD_pmcd_pmip_control_cmd_cb (pm/pmiserv/pmip_cb.c:899): assert (!closed) failed\n';

  it('reads rank and error code from either flavour', () => {
    assert.deepEqual(findMpiAbort(OPENMPI), { rank: 2, code: 5 });
    assert.deepEqual(findMpiAbort(MPICH), { rank: 2, code: 5 });
    assert.equal(findMpiAbort('rank 2 giving up\nordinary output\n'), undefined);
  });

  it('does not mistake a rank of another communicator for a world rank', () => {
    assert.deepEqual(findMpiAbort('MPI_ABORT was invoked on rank 0 in communicator MPI COMMUNICATOR 3 SPLIT FROM 0\nwith errorcode 9.'), undefined);
    assert.deepEqual(findMpiAbort('MPI_ABORT was invoked on rank 0 in communicator split_comm\nwith errorcode 9.'), { rank: undefined, code: 9 });
  });

  it('finds a message split across chunks at any point, and keeps the first abort', () => {
    for (let cut = 1; cut < OPENMPI.length; cut += 7) {
      const s = new AbortScanner();
      s.feed(OPENMPI.slice(0, cut));
      s.feed(Buffer.from(OPENMPI.slice(cut)));
      assert.deepEqual(s.abort, { rank: 2, code: 5 }, `cut at ${cut}`);
    }
    const s = new AbortScanner();
    s.feed(MPICH);
    s.feed('application called MPI_Abort(MPI_COMM_WORLD, 7) - process 1\n');
    assert.deepEqual(s.abort, { rank: 2, code: 5 });
  });

  it('maps a rank to its host when ranks fill hosts in order', () => {
    const hosts = [{ hostname: 'agent1', slots: 2 }, { hostname: 'agent2', slots: 3 }];
    assert.deepEqual([0, 1, 2, 4, 5].map((r) => hostOfRank(hosts, r)), ['agent1', 'agent1', 'agent2', 'agent2', undefined]);
  });
});
