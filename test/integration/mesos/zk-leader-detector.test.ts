import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '@msched/logging';
import { detectLeader, fetchClusterState, SchedulerClient, ZkLeaderDetector, type LeaderDetector, type MasterEndpoint } from '@msched/mesos';
import { Zk } from '@msched/zk';
import { requireStack, testConfig } from '../../helpers/stack';
import { FakeMaster } from './support/fake-master';

const cfg = testConfig();
/** Logs go nowhere: the tests assert on events, and expected failures would only add noise. */
const logger = createLogger({ service: 'test', level: 'error', stream: new Writable({ write: (_c, _e, cb) => cb() }) });

/** What a Mesos master writes into its election znode. */
function masterInfo(ip: string, port: number, hostname = `master-${port}`): string {
  return JSON.stringify({ address: { hostname, ip, port }, hostname, id: `id-${port}`, ip: 16777343, pid: `master@${ip}:${port}`, port, version: '1.11.0' });
}

function nextChange(d: LeaderDetector): Promise<MasterEndpoint | undefined> {
  return new Promise((resolve) => {
    const off = d.onChange((leader) => {
      off();
      resolve(leader);
    });
  });
}

describe('mesos: leader detection through a real ZooKeeper', function () {
  let zk: Zk;
  let n = 0;
  const detectors: LeaderDetector[] = [];
  const path = () => `${cfg.zookeeper.root}/mesos-detector/${n}`;

  before(async function () {
    await requireStack('zookeeper');
    zk = await Zk.connect(cfg.zookeeper.connect);
  });

  beforeEach(() => {
    n++;
  });

  afterEach(async () => {
    await Promise.all(detectors.splice(0).map((d) => d.close()));
  });

  after(async () => {
    await zk.removeRecursive(`${cfg.zookeeper.root}/mesos-detector`);
    zk.close();
  });

  async function start(p: string): Promise<ZkLeaderDetector> {
    const d = await ZkLeaderDetector.start(cfg.zookeeper.connect, p, { logger });
    detectors.push(d);
    return d;
  }

  it('reports the master of the lowest json.info_ node and follows the election when it goes', async () => {
    await zk.mkdirp(path());
    const first = await zk.create(`${path()}/json.info_`, masterInfo('10.0.0.1', 5050), 'ephemeral_sequential');
    const second = await zk.create(`${path()}/json.info_`, masterInfo('10.0.0.2', 5050), 'ephemeral_sequential');
    await zk.create(`${path()}/info_`, 'protobuf bytes the detector must ignore', 'ephemeral_sequential');
    const d = await start(path());
    assert.equal(d.current()?.url, 'http://10.0.0.1:5050');
    assert.equal(d.current()?.info?.version, '1.11.0');

    const change = nextChange(d);
    await zk.remove(first);
    assert.equal((await change)?.url, 'http://10.0.0.2:5050');

    const gone = nextChange(d);
    await zk.remove(second);
    assert.equal(await gone, undefined);
    assert.equal(d.current(), undefined);

    const back = nextChange(d);
    await zk.create(`${path()}/json.info_`, masterInfo('10.0.0.3', 5051), 'ephemeral_sequential');
    assert.equal((await back)?.url, 'http://10.0.0.3:5051');
  });

  it('waits for the election path to appear', async () => {
    const d = await start(path());
    assert.equal(d.current(), undefined);
    const leader = d.leader(20_000);
    await zk.mkdirp(path());
    await zk.create(`${path()}/json.info_`, masterInfo('10.0.0.9', 5050), 'ephemeral_sequential');
    assert.equal((await leader).url, 'http://10.0.0.9:5050');
  });

  it('does not report a new leader when a standby joins or leaves', async () => {
    await zk.mkdirp(path());
    await zk.create(`${path()}/json.info_`, masterInfo('10.0.0.1', 5050), 'ephemeral_sequential');
    const d = await start(path());
    let changes = 0;
    d.onChange(() => changes++);
    const standby = await zk.create(`${path()}/json.info_`, masterInfo('10.0.0.2', 5050), 'ephemeral_sequential');
    await zk.remove(standby);
    // A later real change proves the watch still works and that nothing fired before it.
    const [leaderNode] = (await zk.getChildren(path())).filter((c) => c.startsWith('json.info_'));
    const change = nextChange(d);
    await zk.remove(`${path()}/${leaderNode}`);
    assert.equal(await change, undefined);
    assert.equal(changes, 1);
  });

  it('finds a master through a zk:// URL for the scheduler client and for /master/state', async () => {
    const m = await new FakeMaster().start();
    try {
      m.state = { id: 'state-of-fake', slaves: [{ id: 'S1', hostname: 'node1', resources: { cpus: 4, mem: 1024, ports: '[31000-31009]' } }] };
      const port = Number(new URL(m.url).port);
      await zk.mkdirp(path());
      await zk.create(`${path()}/json.info_`, masterInfo('127.0.0.1', port), 'ephemeral_sequential');
      const url = `zk://${cfg.zookeeper.connect.join(',')}${path()}`;

      const state = await fetchClusterState(url);
      assert.deepEqual([state.masterId, state.agents.map((a) => [a.id, a.total.cpus, a.total.ports])], ['state-of-fake', [['S1', 4, [{ begin: 31000, end: 31009 }]]]]);

      const detector = await detectLeader(url, { logger });
      detectors.push(detector);
      const c = new SchedulerClient({ detector, framework: { user: 'root', name: 't', roles: ['mpi'], failoverTimeoutSeconds: 60 }, logger });
      const subscribed = new Promise((resolve) => c.once('subscribed', resolve));
      c.start();
      await subscribed;
      c.stop();
      assert.equal(m.subscribes.length, 1);
    } finally {
      await m.stop();
    }
  });
});
