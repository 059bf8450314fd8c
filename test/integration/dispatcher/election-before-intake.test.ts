import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { startDispatcher, type DispatcherHandle } from '@msched/dispatcher';
import type { LocalCluster } from '@msched/mesos-local';
import { requireStack, testConfig } from '../../helpers/stack';
import { testLogger } from '../../helpers/pipeline';
import { freePort } from '@msched/devstack';
import { lateServer, type LateServer } from '../../helpers/late-server';
import { eventually, frameworkConnected, prepareSuite, removeZkRoot, startCluster, suiteConfig } from './support';

/**
 * Issue 14, found by the chaos run (seed 3, kill-leader-dispatcher only): a dispatcher restarted
 * after a kill -9 joined the election only once its Kafka intake had joined its consumer group,
 * which waits for the killed member's group session to end (25 s there). The leader needs no
 * intake of its own (every replica's intake writes to the database it reads), so a replica must
 * be a candidate as soon as it has its database and ZooKeeper; otherwise killing the new leader
 * in that window leaves no candidate at all. Here Kafka does not answer: the replica must still
 * lead, and (its start-up going on behind) be stoppable meanwhile.
 */
describe('dispatcher: a replica is a candidate for leadership before its Kafka intake is up', function () {
  this.timeout(120_000);
  let ds: DataSource;
  let cluster: LocalCluster;
  const started: DispatcherHandle[] = [];
  let kafka: LateServer | undefined;
  const suite = 'delect';

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    ds = await prepareSuite(suiteConfig(suite));
    cluster = await startCluster(suiteConfig(suite), { agents: 1, cpus: 1 });
  });

  after(async () => {
    for (const d of started) await d.stop();
    await kafka?.close();
    await cluster?.stop();
    await ds?.destroy();
    await removeZkRoot(suiteConfig(suite)).catch(() => undefined);
  });

  /** A replica whose Kafka is a relay to the shared broker that answers only once opened. */
  async function replicaWithLateKafka(): Promise<{ d: DispatcherHandle; healthPort: number; kafka: LateServer }> {
    const healthPort = await freePort();
    const kafkaPort = await freePort();
    // Bootstrapping goes through the relay; the broker then names itself, so only start-up needs it.
    const late = lateServer(kafkaPort, testConfig({}).kafka.brokers[0]);
    const cfg = suiteConfig(suite, { MSCHED_KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`, MSCHED_DISPATCHER_HEALTH_PORT: String(healthPort) });
    const d = await startDispatcher(cfg, { logger: testLogger('dispatcher') });
    started.push(d);
    return { d, healthPort, kafka: late };
  }

  const readyz = async (port: number) => {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: r.status, body: (await r.json()) as { checks: Record<string, string>; details?: Record<string, string> } };
  };

  it('leads and subscribes to Mesos while Kafka does not answer, and finishes starting once it does', async () => {
    const r = await replicaWithLateKafka();
    kafka = r.kafka;
    const frameworkId = await eventually('the replica to register its framework while waiting for Kafka', async () =>
      (await ds.query('SELECT framework_id FROM framework'))[0]?.framework_id as string | undefined, 60_000);
    assert.ok(await frameworkConnected(cluster.masterUrl, frameworkId), 'subscribed to the master');
    assert.ok(r.d.isLeader());
    const waiting = await readyz(r.healthPort);
    assert.equal(waiting.status, 503);
    assert.match(waiting.body.details?.startup ?? '', /waiting for Kafka/, 'start-up still waits for Kafka meanwhile');

    await r.kafka.open();
    await eventually('start-up to finish once Kafka answers', async () => ((await readyz(r.healthPort)).body.checks.startup === 'ok' ? true : undefined), 60_000);
    assert.ok(r.d.isLeader(), 'still leading');
  });

  it('stops at once while its Kafka does not answer (a SIGTERM during start-up finds a replica to stop)', async () => {
    const r = await replicaWithLateKafka();
    assert.equal((await readyz(r.healthPort)).body.checks.startup, 'failing');
    await r.d.stop();
    await r.kafka.close();
    await assert.rejects(fetch(`http://127.0.0.1:${r.healthPort}/readyz`), 'the health port is closed');
  });
});
