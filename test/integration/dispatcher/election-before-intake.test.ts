import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { startDispatcher, type DispatcherHandle } from '@msched/dispatcher';
import type { LocalCluster } from '@msched/mesos-local';
import { requireStack, testConfig } from '../../helpers/stack';
import { testLogger } from '../../helpers/pipeline';
import { freePort } from '../../helpers/free-port';
import { lateServer, type LateServer } from '../../helpers/late-server';
import { eventually, frameworkConnected, prepareSuite, removeZkRoot, startCluster, suiteConfig } from './support';

/**
 * Issue 14, found by the chaos run (seed 3, kill-leader-dispatcher only): a dispatcher restarted
 * after a kill -9 joined the election only once its Kafka intake had joined its consumer group,
 * which waits for the killed member's group session to end (25 s there). The leader needs no
 * intake of its own (every replica's intake writes to the database it reads), so a replica must
 * be a candidate as soon as it has its database and ZooKeeper; otherwise killing the new leader
 * in that window leaves no candidate at all. Here Kafka never answers: the replica must still lead.
 */
describe('dispatcher: a replica is a candidate for leadership before its Kafka intake is up', function () {
  this.timeout(120_000);
  let ds: DataSource;
  let cluster: LocalCluster;
  let starting: Promise<DispatcherHandle> | undefined;
  let cfg: ReturnType<typeof suiteConfig>;
  let healthPort: number;
  let kafka: LateServer;

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    healthPort = await freePort();
    const kafkaPort = await freePort();
    // Bootstrapping through the relay; the broker then names itself, so only start-up needs it.
    kafka = lateServer(kafkaPort, testConfig({}).kafka.brokers[0]);
    cfg = suiteConfig('delect', { MSCHED_KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`, MSCHED_DISPATCHER_HEALTH_PORT: String(healthPort) });
    ds = await prepareSuite(suiteConfig('delect'));
    cluster = await startCluster(cfg, { agents: 1, cpus: 1 });
  });

  after(async () => {
    await kafka?.open().catch(() => undefined);
    const d = await starting?.catch(() => undefined);
    await d?.stop();
    await kafka?.close();
    await cluster?.stop();
    await ds?.destroy();
    await removeZkRoot(cfg).catch(() => undefined);
  });

  it('leads and subscribes to Mesos while Kafka does not answer', async () => {
    let failed: Error | undefined;
    starting = startDispatcher(cfg, { logger: testLogger('dispatcher') });
    starting.catch((e: Error) => { failed = e; });
    const frameworkId = await eventually('the replica to register its framework while waiting for Kafka', async () => {
      if (failed) throw new Error(`start-up failed: ${failed.message}`);
      return (await ds.query('SELECT framework_id FROM framework'))[0]?.framework_id as string | undefined;
    }, 60_000);
    assert.ok(await frameworkConnected(cluster.masterUrl, frameworkId), 'subscribed to the master');
    const r = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
    const body = (await r.json()) as { details?: Record<string, string> };
    assert.match(body.details?.startup ?? '', /waiting for Kafka/, 'start-up still waits for Kafka meanwhile');
    await kafka.open();
    const d = await starting;
    assert.ok(d.isLeader(), 'still leading once Kafka answers');
  });
});
