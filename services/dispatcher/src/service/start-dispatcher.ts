import { hostname } from 'node:os';
import type { Admin, Consumer } from 'kafkajs';
import type { SandboxLookup } from '@msched/mesos';
import type { DataSource } from 'typeorm';
import { consumerLag, createKafka, topicName } from '@msched/bus';
import type { Config } from '@msched/config';
import { countUnsentOutbox, openDatabase, redactUrl } from '@msched/db';
import { createLogger, type Logger } from '@msched/logging';
import { createMetrics, onScrape, startHealthServer, Startup, StartupAborted, type HealthServer, type Metrics } from '@msched/observability';
import { OutboxRelay } from '@msched/outbox';
import { Leadership } from '../election/leadership';
import { Leader } from '../framework/leader';
import { readTestFaults } from '../framework/test-faults';
import { startIntake } from '../intake/intake-consumer';
import { notifyDispatchers } from '../intake/wake';
import { provideRuntime } from '../runtime/provide-runtime';

export interface DispatcherOptions {
  readonly logger?: Logger;
  /** Shown in the election node (default host:pid). */
  readonly identity?: string;
  /** Test seam: where the leader looks task sandboxes up (default: the master's and agents' state). */
  readonly sandboxLookup?: SandboxLookup;
}

export interface DispatcherHandle {
  readonly identity: string;
  /** Port of /healthz, /readyz and /metrics. */
  readonly healthPort: number;
  readonly ds: DataSource;
  isLeader(): boolean;
  /** The running framework while this replica leads. */
  leader(): Leader | undefined;
  stop(): Promise<void>;
}

/**
 * One dispatcher replica: the intake (Kafka → database, on every replica), an outbox relay, the
 * election, and, while elected, the Mesos framework (Leader). Losing the election stops the framework
 * at once and the replica queues up as a standby again (no process restart needed). Resolves once the
 * replica stands for election (database and ZooKeeper answer); the intake's Kafka start-up goes on
 * behind it, and /readyz says what it still waits for.
 */
export async function startDispatcher(cfg: Config, opts: DispatcherOptions = {}): Promise<DispatcherHandle> {
  const identity = opts.identity ?? `${hostname()}:${process.pid}`;
  readTestFaults(process.env, cfg.environment); // refuses a test-only fault switch outside tests, before anything starts
  const logger = (opts.logger ?? createLogger({ service: 'dispatcher', level: cfg.log.level, format: cfg.log.format, environment: cfg.environment })).child({ replica: identity });
  const metrics: Metrics = createMetrics('dispatcher');
  const startup = new Startup(logger);
  let ds: DataSource | undefined;
  let leadership: Leadership | undefined;
  let leader: Leader | undefined;
  // Up before any server is: /readyz says what start-up waits for.
  const health: HealthServer = await startHealthServer({
    // Every service binds its health endpoints where the API binds (MSCHED_API_HOST, 0.0.0.0 in deployments).
    host: cfg.api.host, port: cfg.dispatcher.healthPort, registry: metrics.registry,
    checks: [
      startup.readiness(),
      { name: 'database', check: async () => { if (!ds) return false; await ds.query('SELECT 1'); return true; } },
      { name: 'zookeeper', check: async () => leadership?.zk !== undefined },
      // A standby is ready; a leader is ready once subscribed to Mesos.
      { name: 'mesos', check: async () => !leader || leader.isSubscribed },
    ],
  });
  const cleanups: Array<() => Promise<void>> = [() => health.close()];
  const cleanUp = async () => {
    startup.abort();
    for (const c of cleanups.reverse()) await c().catch((e: Error) => logger.warn(`shutting down: ${e.message}`));
  };
  try {
    logger.info(`opening the job database ${redactUrl(cfg.database.url)}`);
    const db = await startup.waitFor(`PostgreSQL (${redactUrl(cfg.database.url)})`, () => openDatabase(cfg.database, { migrate: cfg.database.runMigrations, applicationName: 'msched-dispatcher' }));
    ds = db;
    cleanups.push(async () => void (await db.destroy().catch(() => undefined)));
    const relay = new OutboxRelay({
      ds: db, logger, topicPrefix: cfg.kafka.topicPrefix, listenUrl: cfg.database.url,
      kafka: createKafka(cfg.kafka, logger, { retries: 2 }),
      batchSize: cfg.outbox.batchSize, pollIntervalMs: cfg.outbox.pollIntervalMs,
      backoff: { maxMs: cfg.outbox.maxBackoffMs }, retentionHours: cfg.outbox.retentionHours,
    });
    await startup.waitFor('PostgreSQL (LISTEN for the outbox)', () => relay.start());
    cleanups.push(() => relay.stop());

    const runtime = await provideRuntime(cfg, logger);
    cleanups.push(() => runtime.close());
    // The leader builds tasks that fetch the runtime from where it is served now.
    const leaderCfg: Config = runtime.uri ? { ...cfg, runtime: { ...cfg.runtime, uri: runtime.uri } } : cfg;

    const election = new Leadership(cfg.zookeeper, identity, logger);
    leadership = election;
    let leaderChange: Promise<void> = Promise.resolve();
    const becomeLeader = async () => {
      metrics.isLeader.set(1);
      const l = new Leader({
        cfg: leaderCfg, ds: db, logger, metrics, zk: () => election.zk, afterCommit: () => relay.notify(),
        stepDown: (reason) => void election.stepDown(reason), sandboxLookup: opts.sandboxLookup,
      });
      leader = l;
      try {
        await l.start();
      } catch (e) {
        logger.error(`starting the framework failed: ${(e as Error).message}`);
        await election.stepDown(`the framework could not start: ${(e as Error).message}`, 2000);
      }
    };
    const stopLeading = async (reason: string) => {
      metrics.isLeader.set(0);
      const l = leader;
      leader = undefined;
      await l?.stop(reason);
    };
    // Elections and depositions are applied one after the other, never interleaved.
    election.on('elected', () => { leaderChange = leaderChange.then(becomeLeader); });
    election.on('deposed', (reason) => { leaderChange = leaderChange.then(() => stopLeading(`no longer the leader: ${reason}`)); });

    // A candidate before the intake: the leader reads only the database (every replica's intake
    // feeds it), while joining the intake's consumer group can wait a whole Kafka session for a
    // killed member; a replica restarted after a kill -9 must not leave the election empty that long.
    await startup.waitFor(`ZooKeeper (${cfg.zookeeper.connect.join(',')})`, () => election.start());
    cleanups.push(async () => {
      // The framework stops before the candidacy goes, so a standby never subscribes beside us.
      await leaderChange;
      await stopLeading('the dispatcher stops');
      await election.stop();
      await leaderChange;
    });

    // The rest of start-up (Kafka) goes on while this replica already stands for election, so the
    // handle is returned now: it can stop the replica at any time, even while Kafka is away or the
    // intake's consumer group waits for a killed member (a SIGTERM must not find no handler).
    const kafka = createKafka(cfg.kafka, logger);
    onScrape(metrics.outboxPending, async (g) => { g.set(await countUnsentOutbox(db)); });
    const wake = () => {
      leader?.wake();
      // The intake's transaction wrote status events (QUEUED): they go out now, not at the next poll.
      relay.notify();
      notifyDispatchers(db).catch((e: Error) => logger.debug(`NOTIFY failed (the leader polls anyway): ${e.message}`));
    };
    let closing = false;
    let consumer: Consumer | undefined;
    let lagAdmin: Admin | undefined;
    cleanups.push(async () => {
      closing = true;
      await lagAdmin?.disconnect().catch(() => undefined);
      await consumer?.disconnect();
    });
    const connectKafka = async () => {
      const c = await startup.waitFor(`Kafka (${cfg.kafka.brokers.join(',')})`, () => startIntake({ kafka, ds: db, topicPrefix: cfg.kafka.topicPrefix, sessionTimeoutMs: cfg.kafka.sessionTimeoutMs, logger, wake, defaultWallTimeSeconds: cfg.dispatcher.defaultWallTimeMinutes * 60 }));
      if (closing) return void (await c.disconnect().catch(() => undefined));
      consumer = c;
      const admin = kafka.admin();
      await startup.waitFor(`Kafka (${cfg.kafka.brokers.join(',')}, admin)`, () => admin.connect());
      if (closing) return void (await admin.disconnect().catch(() => undefined));
      lagAdmin = admin;
      const intakeTopics = [topicName(cfg.kafka.topicPrefix, 'dispatch'), topicName(cfg.kafka.topicPrefix, 'cancel')];
      onScrape(metrics.consumerLag, async (g) => {
        for (const l of await consumerLag(admin, `${cfg.kafka.topicPrefix}dispatcher.intake`, intakeTopics)) g.set({ topic: l.topic, partition: String(l.partition) }, l.lag);
      });
      startup.done();
      logger.info(`dispatcher ${identity} running; health and metrics on port ${health.port}`);
    };
    connectKafka().catch((e: Error) => {
      if (!(e instanceof StartupAborted)) logger.error(`start-up stopped: ${e.message}`);
    });

    let stopping: Promise<void> | undefined;
    return {
      identity,
      healthPort: health.port,
      ds: db,
      isLeader: () => leader !== undefined,
      leader: () => leader,
      stop: () => (stopping ??= cleanUp()),
    };
  } catch (e) {
    await cleanUp();
    throw e;
  }
}
