import assert from 'node:assert/strict';
import { MesosProtocolError, parseClusterState, parseV0Ranges } from '@msched/mesos';

/** Trimmed `GET /master/state` of a two-agent cluster, in the v0 shape mesos-v1.md describes. */
const STATE = JSON.stringify({
  version: '1.11.0', id: 'm-1', pid: 'master@10.0.0.1:5050', hostname: 'm1', leader: 'master@10.0.0.1:5050', activated_slaves: 2,
  slaves: [
    {
      id: 'S0', hostname: 'node0', port: 5051, active: true, attributes: { rack: 'r1', cores: 16 },
      resources: { cpus: 16, mem: 65536, disk: 100000, gpus: 0, ports: '[31000-32000, 33000-33005]' },
      used_resources: { cpus: 4, mem: 8192, disk: 0, gpus: 0, ports: '[31000-31000]' },
      offered_resources: { cpus: 0, mem: 0, disk: 0, gpus: 0 },
      reserved_resources: { mpi: { cpus: 4, mem: 4096, disk: 0, gpus: 0 } },
      unreserved_resources: { cpus: 12, mem: 61440 },
    },
    { id: 'S1', hostname: 'node1', active: false, resources: { cpus: 8, mem: 16384 } },
  ],
  frameworks: [],
});

describe('mesos: /master/state reader', () => {
  it('reads agents with totals, usage, reservations and attributes', () => {
    const s = parseClusterState(STATE, 'http://10.0.0.1:5050');
    assert.deepEqual([s.masterId, s.version, s.masterUrl], ['m-1', '1.11.0', 'http://10.0.0.1:5050']);
    const [a, b] = s.agents;
    assert.deepEqual([a.id, a.hostname, a.port, a.active], ['S0', 'node0', 5051, true]);
    assert.deepEqual(a.total, { cpus: 16, mem: 65536, disk: 100000, gpus: 0, ports: [{ begin: 31000, end: 32000 }, { begin: 33000, end: 33005 }] });
    assert.deepEqual([a.used.cpus, a.used.ports], [4, [{ begin: 31000, end: 31000 }]]);
    assert.deepEqual(a.reservedByRole, { mpi: { cpus: 4, mem: 4096, disk: 0, gpus: 0, ports: [] } });
    assert.deepEqual(a.attributes, { rack: 'r1', cores: 16 });
    assert.deepEqual([b.active, b.total.cpus, b.used.cpus, b.total.ports], [false, 8, 0, []]);
  });

  it('reads when the master was elected and the agents of its registry it still waits for', () => {
    const body = JSON.stringify({ ...JSON.parse(STATE), elected_time: 1796630400.25, recovered_slaves: [{ id: 'S2', hostname: 'node2', resources: { cpus: 8 } }, { id: { value: 'S3' } }] });
    const s = parseClusterState(body, 'http://10.0.0.1:5050');
    assert.equal(s.electedAt, 1796630400250);
    assert.deepEqual(s.recoveringAgentIds, ['S2', 'S3']);
    const plain = parseClusterState(STATE, 'http://10.0.0.1:5050');
    assert.deepEqual([plain.electedAt, plain.recoveringAgentIds], [undefined, undefined]);
  });

  it('reads v0 range lists', () => {
    assert.deepEqual(parseV0Ranges('[]'), []);
    assert.deepEqual(parseV0Ranges('[1-2,5-5]'), [{ begin: 1, end: 2 }, { begin: 5, end: 5 }]);
    assert.throws(() => parseV0Ranges('[1-]'), MesosProtocolError);
  });

  it('refuses a body that is not the state', () => {
    assert.throws(() => parseClusterState('<html>', 'http://m'), /is not JSON/);
    assert.throws(() => parseClusterState('{"slaves":{}}', 'http://m'), /"slaves" is not a list/);
    assert.throws(() => parseClusterState('{"slaves":[{"hostname":"x"}]}', 'http://m'), /slaves\[0\] lacks id or hostname/);
  });
});
