import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Zk } from '@msched/zk';
import { createLogger } from '@msched/logging';
import { LocalCluster, LocalMaster } from '@msched/mesos-local';
import { requireStack, testConfig } from '../../helpers/stack';
import { RawScheduler, commandTask, frameworkInfo, getJson, httpRequest, openStream, Json } from '../../helpers/mesos-raw';
import { eventually } from '../../helpers/eventually';
import { pidAlive, pidsFrom, reconcileUntilAnswered, sandboxOf, startTestCluster, testLogLevel } from './fixture';

const LONG = 'echo $$ > pids; exec sleep 600';

/** Leader election through ZooKeeper, standbys, master failover with running tasks, framework failover timeouts. */
describe('mesos-local: masters, ZooKeeper and failover (integration)', function () {
  const cfg = testConfig();
  let zk: Zk;
  const paths: string[] = [];
  const zkUrlFor = (path: string) => `zk://${cfg.zookeeper.connect.join(',')}${path}`;
  const newPath = () => {
    const p = `${cfg.zookeeper.root}/mesos-failover-${randomUUID().slice(0, 8)}`;
    paths.push(p);
    return p;
  };

  before(async () => {
    await requireStack('zookeeper');
    zk = await Zk.connect(cfg.zookeeper.connect);
  });

  after(async () => {
    for (const p of paths) await zk.removeRecursive(p).catch(() => undefined);
    zk?.close();
  });

  describe('two masters in ZooKeeper', () => {
    let cluster: LocalCluster;
    let path: string;

    before(async () => {
      path = newPath();
      cluster = await startTestCluster({ agents: 2, masters: 2, zk: zkUrlFor(path) });
    });

    after(async () => {
      await cluster?.stop();
    });

    it('each master holds an ephemeral sequential json.info_ node with MasterInfo JSON; the lowest leads', async () => {
      const children = (await zk.getChildren(path)).filter((c) => c.startsWith('json.info_')).sort();
      assert.equal(children.length, 2);
      for (const c of children) assert.match(c, /^json\.info_\d{10}$/);
      const info = JSON.parse((await zk.getData(`${path}/${children[0]}`))!.toString('utf8'));
      const leader = cluster.leader()!;
      assert.equal(info.address.port, leader.port);
      assert.equal(info.address.ip, '127.0.0.1');
      assert.equal(info.port, leader.port);
      assert.equal(info.ip, 16777343, 'the ip as Mesos stores it: network-order bytes read little-endian');
      assert.equal(info.pid, `master@127.0.0.1:${leader.port}`);
      assert.equal(info.id, leader.core.id);
    });

    it('a standby answers 307 to the leader with a protocol-relative Location', async () => {
      const leader = cluster.leader()!;
      const standby = cluster.masters.find((m) => m !== leader)!;
      const { response } = await openStream(standby.url, { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo() } });
      assert.equal(response.status, 307);
      assert.equal(response.headers.location, `//127.0.0.1:${leader.port}/api/v1/scheduler`);
      const redirect = await httpRequest('GET', `${standby.url}/master/redirect`);
      assert.equal(redirect.status, 307);
      assert.equal(redirect.headers.location, `//127.0.0.1:${leader.port}`);
      assert.equal((await httpRequest('GET', `${standby.url}/master/state`)).status, 307);
      assert.equal((await httpRequest('GET', `${standby.url}/health`)).status, 200);
    });

    it('when the leader dies the standby leads, agents re-register, and a re-subscribed framework keeps its running task', async () => {
      const oldLeader = cluster.leader()!;
      const s = await RawScheduler.subscribe(cluster.masterUrl, { failoverTimeout: 600 });
      const offer = await s.nextOffer();
      const taskId = `survivor-${randomUUID().slice(0, 8)}`;
      await s.launch(offer, [commandTask(offer, taskId, { value: LONG })]);
      await s.waitState(taskId, 'TASK_RUNNING');
      const dir = await sandboxOf(cluster.masterUrl, s.frameworkId, taskId);
      const [pid] = await pidsFrom(cluster.masterUrl, `${dir}/pids`, 1);

      await cluster.failoverMaster();
      await s.stream.closed; // The old leader's connections went with it.
      const newLeader = cluster.leader()!;
      assert.notEqual(newLeader.core.id, oldLeader.core.id);
      assert.ok(pidAlive(pid), 'the task kept running through the master failover');
      // A new standby took the old leader's port and points at the new leader.
      const atOldPort = await httpRequest('GET', `http://127.0.0.1:${oldLeader.port}/master/redirect`);
      assert.equal(atOldPort.status, 307);
      assert.equal(atOldPort.headers.location, `//127.0.0.1:${newLeader.port}`);

      const again = await RawScheduler.subscribe(newLeader.url, { failoverTimeout: 600, frameworkId: s.frameworkId });
      try {
        assert.equal(again.frameworkId, s.frameworkId);
        // The new master learns the task from the re-registering agent; until then it does not answer about it.
        const rec = await reconcileUntilAnswered(again, taskId, offer.agent_id);
        assert.equal(rec.update.status.state, 'TASK_RUNNING');
        assert.equal(rec.update.status.reason, 'REASON_RECONCILIATION');
        const state = await getJson(`${newLeader.url}/master/state`);
        const task = state.frameworks.find((f: Json) => f.id === s.frameworkId).tasks.find((x: Json) => x.id === taskId);
        assert.equal(task.state, 'TASK_RUNNING');
        assert.equal(task.directory, dir);
        // The new leader drives the task: KILL reaches the agent and the process.
        await again.mustCall('KILL', { task_id: { value: taskId }, agent_id: offer.agent_id });
        await again.waitState(taskId, 'TASK_KILLED');
        assert.equal(pidAlive(pid), false);
      } finally {
        await again.call('TEARDOWN');
        again.close();
      }
    });
  });

  it('answers 503 while no leader is known, and leads once the node ahead of it goes', async () => {
    const path = newPath();
    await zk.mkdirp(path);
    // A broken node with the lowest sequence: nobody can be the leader while it is there.
    const blocker = await zk.create(`${path}/json.info_`, 'not MasterInfo', 'ephemeral_sequential');
    const master = await LocalMaster.start({ port: 0, zk: { servers: cfg.zookeeper.connect, path }, logger: createLogger({ service: 'mesos-local-test', level: testLogLevel() }) });
    try {
      assert.equal(master.isLeading(), false);
      const { response } = await openStream(master.url, { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo() } });
      assert.equal(response.status, 503);
      assert.equal((await httpRequest('GET', `${master.url}/master/redirect`)).status, 503);
      await zk.remove(blocker);
      await eventually('the master to lead', () => (master.isLeading() && !master.core.isRecovering() ? true : undefined));
      const ok = await RawScheduler.subscribe(master.url);
      ok.close();
    } finally {
      await master.stop();
    }
  });

  it('without ZooKeeper, a master restarted on the same port gets the agents and their tasks back', async () => {
    const cluster = await startTestCluster({ agents: 1 });
    try {
      const s = await RawScheduler.subscribe(cluster.masterUrl, { failoverTimeout: 600 });
      const offer = await s.nextOffer();
      const taskId = `restart-${randomUUID().slice(0, 8)}`;
      await s.launch(offer, [commandTask(offer, taskId, { value: LONG })]);
      await s.waitState(taskId, 'TASK_RUNNING');
      const url = cluster.masterUrl;
      await cluster.failoverMaster();
      assert.equal(cluster.masterUrl, url);
      const again = await RawScheduler.subscribe(url, { failoverTimeout: 600, frameworkId: s.frameworkId });
      assert.equal((await reconcileUntilAnswered(again, taskId, offer.agent_id)).update.status.state, 'TASK_RUNNING');
      await again.call('TEARDOWN');
      again.close();
      s.close();
    } finally {
      await cluster.stop();
    }
  });

  describe('framework failover timeout', () => {
    let cluster: LocalCluster;
    before(async () => {
      cluster = await startTestCluster({ agents: 1 });
    });
    after(async () => {
      await cluster?.stop();
    });

    it('a framework back within its failover timeout keeps its tasks', async () => {
      const s = await RawScheduler.subscribe(cluster.masterUrl, { failoverTimeout: 60 });
      const offer = await s.nextOffer();
      const taskId = `kept-${randomUUID().slice(0, 8)}`;
      await s.launch(offer, [commandTask(offer, taskId, { value: LONG })]);
      await s.waitState(taskId, 'TASK_RUNNING');
      assert.equal(cluster.cutFrameworkStream(s.frameworkId), true);
      await s.stream.closed;
      const again = await RawScheduler.subscribe(cluster.masterUrl, { failoverTimeout: 60, frameworkId: s.frameworkId });
      await again.mustCall('RECONCILE', { tasks: [] });
      assert.equal((await again.stream.nextUpdate(taskId)).update.status.state, 'TASK_RUNNING');
      await again.call('TEARDOWN');
      again.close();
    });

    it('a framework not back in time is removed: its tasks are killed and its id refused', async () => {
      const s = await RawScheduler.subscribe(cluster.masterUrl, { failoverTimeout: 0.3 });
      const offer = await s.nextOffer();
      const taskId = `orphaned-${randomUUID().slice(0, 8)}`;
      await s.launch(offer, [commandTask(offer, taskId, { value: LONG })]);
      await s.waitState(taskId, 'TASK_RUNNING');
      const [pid] = await pidsFrom(cluster.masterUrl, `${await sandboxOf(cluster.masterUrl, s.frameworkId, taskId)}/pids`, 1);
      s.close();
      await eventually('the task process to be killed', () => (pidAlive(pid) ? undefined : true));
      const state = await getJson(`${cluster.masterUrl}/master/state`);
      assert.ok(state.completed_frameworks.some((f: Json) => f.id === s.frameworkId));
      const { stream } = await openStream(cluster.masterUrl, { type: 'SUBSCRIBE', framework_id: { value: s.frameworkId }, subscribe: { framework_info: frameworkInfo({ frameworkId: s.frameworkId }) } });
      const err = await stream!.next();
      assert.equal(err.error.message, 'Framework has been removed');
    });
  });
});
