import assert from 'node:assert/strict';
import { fetchClusterState, MesosCallError, MesosConnectionError } from '@msched/mesos';
import { FakeMaster } from './support/fake-master';

describe('mesos: fetchClusterState over HTTP', () => {
  const masters: FakeMaster[] = [];
  afterEach(async () => Promise.all(masters.splice(0).map((m) => m.stop())));
  const master = async () => {
    const m = await new FakeMaster().start();
    masters.push(m);
    return m;
  };

  it('reads /master/state from the leader, following a standby\'s 307', async () => {
    const leader = await master();
    leader.state = { id: 'leader', version: '1.11.0', slaves: [{ id: 'S1', hostname: 'n1', resources: { cpus: 8, mem: 4096 } }] };
    const standby = await master();
    standby.redirectTo = leader.url;
    const s = await fetchClusterState(standby.url);
    assert.deepEqual([s.masterUrl, s.masterId, s.agents.map((a) => a.id)], [leader.url, 'leader', ['S1']]);
  });

  it('gives up on a redirect loop and reports unreachable masters as retriable', async () => {
    const a = await master();
    const b = await master();
    a.redirectTo = b.url;
    b.redirectTo = a.url;
    await assert.rejects(fetchClusterState(a.url), (e: unknown) => e instanceof MesosConnectionError && /redirected more than 3 times/.test(e.message));
    await assert.rejects(fetchClusterState('http://127.0.0.1:9', { timeoutMs: 2000 }), (e: unknown) => e instanceof MesosConnectionError && e.retriable);
  });

  it('reports a master error with its status and message', async () => {
    const m = await master();
    m.stateStatus = 503;
    await assert.rejects(fetchClusterState(m.url), (e: unknown) => e instanceof MesosCallError && e.status === 503 && e.retriable && e.body === 'No leader elected');
  });
});
