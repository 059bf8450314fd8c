import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { LocalCluster } from '@msched/mesos-local';
import { RawScheduler, commandTask, httpRequest, Json } from '../../helpers/mesos-raw';
import { pidAlive, pidsFrom, sandboxOf, startTestCluster } from './fixture';

const LONG = 'echo $$ > pids; exec sleep 600';
const id = (p: string) => `${p}-${randomUUID().slice(0, 8)}`;

/** Fault injection: dead agents, cut streams, delayed and duplicated updates, rescinded offers. */
describe('mesos-local: fault injection (integration)', function () {
  describe('killing agents', () => {
    let cluster: LocalCluster;
    before(async () => {
      cluster = await startTestCluster({ agents: 3 });
    });
    after(async () => {
      await cluster?.stop();
    });

    it('reports UNREACHABLE (GONE_BY_OPERATOR when gone) to partition-aware frameworks, LOST to others, with FAILURE and RESCIND', async () => {
      const aware = await RawScheduler.subscribe(cluster.masterUrl, { partitionAware: true });
      let legacy: RawScheduler | undefined;
      try {
        const [a1, a2, a3] = cluster.agents.map((a) => a.id!);
        const launchOn = async (s: RawScheduler, agentId: string) => {
          const offer = await s.nextOffer((o) => o.agent_id.value === agentId);
          const taskId = id('victim');
          // refuse_seconds 0: what the task leaves unused comes straight back as a new offer.
          await s.launch(offer, [commandTask(offer, taskId, { value: LONG })], { refuse_seconds: 0 });
          await s.waitState(taskId, 'TASK_RUNNING');
          const [pid] = await pidsFrom(cluster.masterUrl, `${await sandboxOf(cluster.masterUrl, s.frameworkId, taskId)}/pids`, 1);
          return { taskId, pid };
        };
        const onA1 = await launchOn(aware, a1);
        // What the task left of agent 1 comes back at once: the first framework holds it, unused.
        const heldOffer = await aware.nextOffer((o) => o.agent_id.value === a1);
        const onA2 = await launchOn(aware, a2);
        // Agent 3 goes to the second framework: the first refuses it for an hour.
        await aware.stream.find((e) => e.type === 'OFFERS' && e.offers.offers.some((o: Json) => o.agent_id.value === a3));
        await aware.declineUntaken(3600);
        legacy = await RawScheduler.subscribe(cluster.masterUrl, { partitionAware: false });
        const onA3 = await launchOn(legacy, a3);

        await cluster.killAgent(a1);
        const unreachable = await aware.stream.nextUpdate(onA1.taskId);
        assert.equal(unreachable.update.status.state, 'TASK_UNREACHABLE');
        assert.equal(unreachable.update.status.reason, 'REASON_AGENT_REMOVED');
        assert.equal(unreachable.update.status.source, 'SOURCE_MASTER');
        assert.equal(unreachable.update.status.uuid, undefined);
        assert.equal(pidAlive(onA1.pid), false, 'the dead host took its processes with it');
        const rescind = await aware.stream.nextOfType('RESCIND');
        assert.equal(rescind.rescind.offer_id.value, heldOffer.id.value);
        assert.deepEqual((await aware.stream.nextOfType('FAILURE')).failure, { agent_id: { value: a1 } });
        // Reconciliation keeps answering UNREACHABLE for the task.
        await aware.mustCall('RECONCILE', { tasks: [{ task_id: { value: onA1.taskId }, agent_id: { value: a1 } }] });
        assert.equal((await aware.stream.nextUpdate(onA1.taskId)).update.status.state, 'TASK_UNREACHABLE');

        await cluster.killAgent(a2, { gone: true });
        const gone = await aware.stream.nextUpdate(onA2.taskId);
        assert.equal(gone.update.status.state, 'TASK_GONE_BY_OPERATOR');
        assert.equal(gone.update.status.reason, 'REASON_AGENT_REMOVED_BY_OPERATOR');

        await cluster.killAgent(a3);
        assert.equal((await legacy.stream.nextUpdate(onA3.taskId)).update.status.state, 'TASK_LOST');
        assert.equal(pidAlive(onA3.pid), false);
        assert.deepEqual(cluster.agents.map((a) => a.running), [false, false, false]);
      } finally {
        aware.close();
        legacy?.close();
      }
    });
  });

  it('rescinds offers held longer than the offer timeout', async () => {
    const cluster = await startTestCluster({ agents: 1, timing: { allocationIntervalMs: 50, offerTimeoutMs: 200 } });
    const s = await RawScheduler.subscribe(cluster.masterUrl);
    try {
      const offer = await s.nextOffer();
      const got = Date.now();
      const rescind = await s.stream.next((e) => e.type === 'RESCIND' && e.rescind.offer_id.value === offer.id.value, 5000, 'RESCIND');
      assert.ok(rescind);
      assert.ok(Date.now() - got >= 150, 'not before the timeout');
      await s.nextOffer((o) => o.id.value !== offer.id.value); // The resources are offered again.
    } finally {
      s.close();
      await cluster.stop();
    }
  });

  describe('streams and status updates', () => {
    let cluster: LocalCluster;
    let s: RawScheduler;
    before(async () => {
      cluster = await startTestCluster({ agents: 2 });
    });
    beforeEach(async () => {
      s = await RawScheduler.subscribe(cluster.masterUrl, { failoverTimeout: 60 });
    });
    afterEach(async () => {
      cluster.delayStatusUpdates(0);
      cluster.duplicateStatusUpdates(false);
      await s.call('TEARDOWN').catch(() => undefined);
      s.close();
    });
    after(async () => {
      await cluster?.stop();
    });

    it('cutFrameworkStream drops the connection without an ERROR; the framework re-subscribes and keeps its task', async () => {
      const offer = await s.nextOffer();
      const taskId = id('cut');
      await s.launch(offer, [commandTask(offer, taskId, { value: LONG })]);
      await s.waitState(taskId, 'TASK_RUNNING');
      assert.equal(cluster.cutFrameworkStream(s.frameworkId), true);
      await s.stream.closed;
      assert.ok(!s.stream.events.some((e) => e.type === 'ERROR'));
      const again = await RawScheduler.subscribe(cluster.masterUrl, { failoverTimeout: 60, frameworkId: s.frameworkId });
      s = again;
      await again.mustCall('RECONCILE', { tasks: [] });
      assert.equal((await again.stream.nextUpdate(taskId)).update.status.state, 'TASK_RUNNING');
    });

    it('delayStatusUpdates holds updates back but keeps their order', async () => {
      cluster.delayStatusUpdates(300);
      const offer = await s.nextOffer();
      const taskId = id('slow');
      const sent = Date.now();
      await s.launch(offer, [commandTask(offer, taskId, { value: 'true' })]);
      const first = await s.stream.nextUpdate(taskId);
      assert.ok(Date.now() - sent >= 300, 'the first update came no sooner than the delay');
      assert.equal(first.update.status.state, 'TASK_STARTING');
      await s.ack(first);
      await s.waitState(taskId, 'TASK_FINISHED');
      const states = s.stream.events.filter((e) => e.type === 'UPDATE' && e.update.status.task_id.value === taskId).map((e) => e.update.status.state);
      assert.deepEqual([...new Set(states)], ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    });

    it('duplicateStatusUpdates sends each update twice with the same uuid; acknowledging both is harmless', async () => {
      cluster.duplicateStatusUpdates(true);
      const offer = await s.nextOffer();
      const taskId = id('dup');
      await s.launch(offer, [commandTask(offer, taskId, { value: 'true' })]);
      const a = await s.stream.nextUpdate(taskId);
      const b = await s.stream.nextUpdate(taskId);
      assert.equal(a.update.status.uuid, b.update.status.uuid);
      assert.equal(a.update.status.state, 'TASK_STARTING');
      await s.ack(a);
      await s.ack(b);
      await s.waitState(taskId, 'TASK_FINISHED');
    });

    it('rescinded offers arrive as RESCIND, and launching on one drops the task', async () => {
      const offer = await s.nextOffer();
      assert.ok(cluster.rescindOffers(s.frameworkId) >= 1);
      const rescind = await s.stream.next((e) => e.type === 'RESCIND' && e.rescind.offer_id.value === offer.id.value, 5000, 'RESCIND');
      assert.ok(rescind);
      const taskId = id('late');
      await s.launch(offer, [commandTask(offer, taskId, { value: 'true' })]);
      const dropped = await s.stream.nextUpdate(taskId);
      assert.equal(dropped.update.status.state, 'TASK_DROPPED');
      assert.equal(dropped.update.status.reason, 'REASON_INVALID_OFFERS');
    });

    it('the faults endpoint does the same over HTTP, for a cluster in another process', async () => {
      const offer = await s.nextOffer();
      const taskId = id('http');
      await s.launch(offer, [commandTask(offer, taskId, { value: LONG })]);
      await s.waitState(taskId, 'TASK_RUNNING');
      const post = (body: Json) => httpRequest('POST', `${cluster.masterUrl}/_local/faults`, body);
      assert.equal((await post({ type: 'DELAY_STATUS_UPDATES', ms: -1 })).status, 400);
      assert.equal((await post({ type: 'NO_SUCH_FAULT' })).status, 400);
      assert.equal((await post({ type: 'CUT_FRAMEWORK_STREAM', framework_id: s.frameworkId })).status, 202);
      await s.stream.closed;
      assert.equal((await post({ type: 'KILL_AGENT', agent_id: 'no-such-agent' })).status, 404);
      const again = await RawScheduler.subscribe(cluster.masterUrl, { failoverTimeout: 60, frameworkId: s.frameworkId });
      s = again;
      assert.equal((await post({ type: 'KILL_AGENT', agent_id: offer.agent_id.value })).status, 202);
      assert.equal((await again.stream.nextUpdate(taskId)).update.status.state, 'TASK_UNREACHABLE');
    });
  });
});
