import assert from 'node:assert/strict';
import {
  acceptsMediaType, frameworkTraits, ipToMesosUint32, masterEndpoint, masterInfo, parseZkUrl, sortContenders, events,
} from '@msched/mesos-local/dist/internals';

describe('mesos-local master pieces', () => {
  it('writes MasterInfo as Mesos does, ip as network-order bytes read little-endian', () => {
    assert.equal(ipToMesosUint32('192.168.33.10'), 169978048);
    const mi = masterInfo({ id: 'm1', hostname: 'localhost', ip: '127.0.0.1', port: 5050 });
    assert.deepEqual(mi, { id: 'm1', ip: 16777343, port: 5050, pid: 'master@127.0.0.1:5050', hostname: 'localhost', version: '1.11.0', address: { hostname: 'localhost', ip: '127.0.0.1', port: 5050 } });
    assert.deepEqual(masterEndpoint(mi), { host: 'localhost', port: 5050 });
    assert.deepEqual(masterEndpoint({ hostname: 'm', port: 1 }), { host: 'm', port: 1 });
    assert.equal(masterEndpoint({}), null);
  });

  it('orders contenders by their sequence number, ignoring other nodes', () => {
    assert.deepEqual(sortContenders(['json.info_0000000010', 'log_replicas', 'json.info_0000000002', 'local_registry', 'info_0000000001']), ['json.info_0000000002', 'json.info_0000000010']);
  });

  it('parses zk:// URLs with several servers and credentials, refusing malformed ones', () => {
    assert.deepEqual(parseZkUrl('zk://127.0.0.1:22181/mesos'), { servers: ['127.0.0.1:22181'], path: '/mesos' });
    assert.deepEqual(parseZkUrl('zk://u:p@a:1,b:2/x/y/'), { servers: ['a:1', 'b:2'], path: '/x/y', credentials: { user: 'u', password: 'p' } });
    assert.throws(() => parseZkUrl('http://a:1/mesos'), /not a ZooKeeper URL/);
    assert.throws(() => parseZkUrl('zk://a/mesos'), /not host:port/);
    assert.throws(() => parseZkUrl('zk://a:1/'), /needs a path/);
  });

  it('negotiates Accept on SUBSCRIBE like a master', () => {
    assert.ok(acceptsMediaType(undefined, 'application/json'));
    assert.ok(acceptsMediaType('*/*', 'application/json'));
    assert.ok(acceptsMediaType('application/*;q=0.5', 'application/json'));
    assert.ok(acceptsMediaType('text/html, application/json', 'application/json'));
    assert.ok(!acceptsMediaType('text/html', 'application/json'));
    assert.ok(!acceptsMediaType('application/json;q=0', 'application/json'));
  });

  it('checks framework roles against MULTI_ROLE and reads capabilities', () => {
    const multi = frameworkTraits({ user: 'u', name: 'n', roles: ['mpi', 'mpi'], capabilities: [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }] });
    assert.ok(multi.ok && multi.traits.roles.join() === 'mpi' && multi.traits.partitionAware && !multi.traits.taskKillingState);
    const legacy = frameworkTraits({ user: 'u', name: 'n' });
    assert.ok(legacy.ok && legacy.traits.roles.join() === '*');
    assert.match((frameworkTraits({ user: 'u', name: 'n', roles: ['mpi'] }) as { error: string }).error, /lacks the MULTI_ROLE capability/);
    assert.match((frameworkTraits({ user: 'u', name: 'n', role: 'mpi', capabilities: [{ type: 'MULTI_ROLE' }] }) as { error: string }).error, /must not be set/);
    assert.match((frameworkTraits({ user: 'u', name: 'n', role: 'a/b' }) as { error: string }).error, /Role 'a\/b' is invalid/);
  });

  it('puts each event payload under the lower-case name of its type, offers nested', () => {
    assert.deepEqual(events.offers([]), { type: 'OFFERS', offers: { offers: [] } });
    assert.deepEqual(events.error('Framework failed over'), { type: 'ERROR', error: { message: 'Framework failed over' } });
    assert.deepEqual(events.failure('S1'), { type: 'FAILURE', failure: { agent_id: { value: 'S1' } } });
    assert.deepEqual(events.failure('S1', { executorId: 'e', status: 256 }), { type: 'FAILURE', failure: { agent_id: { value: 'S1' }, executor_id: { value: 'e' }, status: 256 } });
    assert.deepEqual(events.rescind('O1'), { type: 'RESCIND', rescind: { offer_id: { value: 'O1' } } });
  });
});
