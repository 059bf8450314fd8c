import type { DataSource } from 'typeorm';
import type { Consumer } from 'kafkajs';
import { consumerLag, createKafka, topicName } from '@msched/bus';
import type { Config } from '@msched/config';
import { openDatabase, redactUrl } from '@msched/db';
import type { Logger } from '@msched/logging';
import { detectLeader, fetchClusterState, fetchTaskSandboxes, LeaderDetector, type SandboxLookup } from '@msched/mesos';
import { createMetrics, HealthServer, onScrape, startHealthServer, Startup } from '@msched/observability';
import { OutboxRelay, wakeOutboxRelays } from '@msched/outbox';
import { Publishers, startPublishers } from '@msched/publishers';
import { Catalogue, loadCatalogue } from './catalogue';
import { rendezvousRemover } from './rendezvous-cleanup';
import { join } from 'node:path';
import { LocalCapacityProvider } from './capacity/local-provider';
import { CapacityProvider, StaticCapacityProvider } from './capacity/provider';
import { startIntake } from './intake/consumers';
import type { StageName } from '@msched/model';
import { RetryScheduler } from './pipeline/retry-scheduler';
import type { Stage } from './pipeline/stage';
import { StageRunner } from './pipeline/stage-runner';
import { stageQueueDepth } from '@msched/stage-runs';
import { capacityStage } from './stages/capacity';
import { cleanupStage } from './stages/cleanup';
import { collectOutputsStage } from './stages/collect-outputs';
import { handoffStage } from './stages/handoff';
import { resolveStage } from './stages/resolve';
import { stageInputsStage } from './stages/stage-inputs';

export interface ProvisionerHandle {
  ds: DataSource;
  health?: HealthServer;
  stop(): Promise<void>;
}

export interface ProvisionerOptions {
  logger: Logger;
  /** Overrides the catalogue file (tests). */
  catalogue?: Catalogue;
  provider?: CapacityProvider;
  /** Test seam: where collect-outputs looks up sandboxes the job's end report lacks. */
  sandboxLookup?: SandboxLookup;
}

/**
 * The provisioning worker: consumes launches, runs each stage (resolve → capacity → stage inputs →
 * hand off; after the job: collect outputs → clean up) with retries and dead letters, relays its
 * outbox, and (by default) runs the status publishers.
 */
export async function startProvisioner(cfg: Config, o: ProvisionerOptions): Promise<ProvisionerHandle> {
  const logger = o.logger;
  const catalogue = o.catalogue ?? loadCatalogue(cfg.provisioner.appCatalogue);
  const metrics = createMetrics('provisioner');
  const startup = new Startup(logger);
  let ds: DataSource | undefined;
  // Up before any server is: /readyz says what start-up waits for.
  const health = cfg.provisioner.healthPort > 0 || cfg.environment === 'test'
    ? await startHealthServer({
      host: cfg.api.host, port: cfg.provisioner.healthPort, registry: metrics.registry,
      checks: [
        startup.readiness(),
        { name: 'database', check: async () => { if (!ds) return false; await ds.query('SELECT 1'); return true; } },
      ],
    })
    : undefined;
  if (health) logger.info(`provisioner starting; health and metrics on port ${health.port}`);
  const cleanups: Array<() => Promise<unknown> | void> = [() => health?.close()];
  const cleanUp = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve().then(c).catch(() => undefined);
  };
  try {
    return await startWorker(cfg, o, { logger, catalogue, metrics, startup, health, cleanups, setDs: (d) => { ds = d; } });
  } catch (e) {
    startup.abort();
    await cleanUp();
    throw e;
  }
}

interface StartContext {
  logger: Logger;
  catalogue: Catalogue;
  metrics: ReturnType<typeof createMetrics>;
  startup: Startup;
  health?: HealthServer;
  /** Undone, last first, when start-up fails half-way. */
  cleanups: Array<() => Promise<unknown> | void>;
  setDs: (ds: DataSource) => void;
}

/** Connects to each server in turn (each retried until it answers), then starts the pipeline. */
async function startWorker(cfg: Config, o: ProvisionerOptions, c: StartContext): Promise<ProvisionerHandle> {
  const { logger, catalogue, metrics, startup, health, cleanups } = c;
  const ds = await startup.waitFor(`PostgreSQL (${redactUrl(cfg.database.url)})`, () => openDatabase(cfg.database, { migrate: cfg.database.runMigrations, applicationName: 'msched-provisioner' }));
  c.setDs(ds);
  cleanups.push(() => ds.destroy());
  const kafka = createKafka({ ...cfg.kafka, clientId: `${cfg.kafka.clientId}-provisioner` }, logger);
  const relay = new OutboxRelay({ ds, logger, topicPrefix: cfg.kafka.topicPrefix, kafka, listenUrl: cfg.database.url, pollIntervalMs: cfg.outbox.pollIntervalMs, batchSize: cfg.outbox.batchSize, backoff: { maxMs: cfg.outbox.maxBackoffMs } });
  await startup.waitFor('PostgreSQL (LISTEN for the outbox)', () => relay.start());
  cleanups.push(() => relay.stop());

  let detector: LeaderDetector | undefined;
  const clusterState = async () => {
    detector ??= await detectLeader(cfg.mesos.master, { logger });
    return fetchClusterState(detector);
  };
  const rendezvous = rendezvousRemover(cfg.zookeeper, logger);
  cleanups.push(() => rendezvous.close());
  const removeRendezvous = (jobId: string) => rendezvous.remove(jobId);
  const provider = o.provider ?? (cfg.provisioner.capacityProvider === 'local'
    ? new LocalCapacityProvider({
      master: cfg.mesos.master, stateDir: cfg.stateDir, clusterState, logger,
      // The local cluster's CLI of this installation (a development tool: real clusters use static or a cloud provider).
      cli: join(__dirname, '../../../packages/mesos-local/dist/cli.js'),
      shape: { cpus: cfg.provisioner.capacityAgentCpus, memMb: cfg.provisioner.capacityAgentMemMb },
      maxAgents: cfg.provisioner.capacityMaxAgents, waitSeconds: cfg.provisioner.capacityWaitSeconds,
    })
    : new StaticCapacityProvider());
  const resolveOpts = {
    queueRoles: cfg.api.queueRoles, defaultRole: cfg.mesos.role, defaultMemMbPerRank: cfg.api.defaultMemoryMbPerRank,
    defaultWallTimeMinutes: cfg.dispatcher.defaultWallTimeMinutes, maxWallTimeMinutes: cfg.api.maxWallTimeMinutes,
  };
  const stages: Array<Stage<never>> = [
    resolveStage(() => catalogue, resolveOpts),
    capacityStage({ clusterState, provider }, cfg.dispatcher.portsPerAgent),
    stageInputsStage(),
    handoffStage(),
    collectOutputsStage({ clusterState, dataRoot: cfg.provisioner.dataRoot, lookupSandboxes: o.sandboxLookup ?? fetchTaskSandboxes, lookupTimeoutMs: cfg.dispatcher.callTimeoutMs }),
    cleanupStage({ provider, removeRendezvous }),
  ] as Array<Stage<never>>;
  const retries = new RetryScheduler(ds, logger, cfg.provisioner.retryPollMs, wakeOutboxRelays);
  retries.start();
  cleanups.push(() => retries.stop());
  const runner = new StageRunner({
    ds, logger, metrics, stages: new Map<StageName, Stage>(stages.map((s) => [s.name, s as Stage])),
    maxAttempts: cfg.provisioner.stageMaxAttempts, timeoutMs: cfg.provisioner.stageTimeoutMs,
    backoff: { initialMs: cfg.provisioner.stageBackoffInitialMs, maxMs: cfg.provisioner.stageBackoffMaxMs, multiplier: 2, jitter: 0.2 },
    chain: cfg.provisioner.chainStages, committed: () => wakeOutboxRelays(), retryScheduled: () => retries.wake(),
  });
  const brokers = cfg.kafka.brokers.join(',');
  const consumers: Consumer[] = await startup.waitFor(`Kafka (${brokers})`, () => startIntake({ ds, kafka, logger, topicPrefix: cfg.kafka.topicPrefix, sessionTimeoutMs: cfg.kafka.sessionTimeoutMs, runner, wake: wakeOutboxRelays, partitionsConcurrently: cfg.kafka.partitions }));
  cleanups.push(() => Promise.all(consumers.map((x) => x.disconnect().catch(() => undefined))));
  const publishers: Publishers | undefined = cfg.provisioner.runPublishers
    ? await startup.waitFor('the status channels (Kafka, and RabbitMQ when configured)', () => startPublishers(cfg, logger))
    : undefined;
  if (publishers) cleanups.push(() => publishers.stop());

  const admin = kafka.admin();
  await startup.waitFor(`Kafka (${brokers}, admin)`, () => admin.connect());
  cleanups.push(() => admin.disconnect());
  const groups: Array<[string, string]> = [
    [`${cfg.kafka.topicPrefix}provisioner.launch`, topicName(cfg.kafka.topicPrefix, 'launch')],
    [`${cfg.kafka.topicPrefix}provisioner.stages`, topicName(cfg.kafka.topicPrefix, 'provision')],
    [`${cfg.kafka.topicPrefix}provisioner.job-ended`, topicName(cfg.kafka.topicPrefix, 'jobEnded')],
  ];
  onScrape(metrics.stageQueueDepth, async (g) => {
    const rows = await stageQueueDepth(ds);
    g.reset();
    for (const r of rows) g.set({ stage: r.stage }, r.n);
  });
  onScrape(metrics.consumerLag, async (g) => {
    const lags = await Promise.all(groups.map(([group, topic]) => consumerLag(admin, group, [topic])));
    for (const l of lags.flat()) g.set({ topic: l.topic, partition: String(l.partition) }, l.lag);
  });
  startup.done();
  logger.info(`provisioner ready${health ? `, health and metrics on port ${health.port}` : ''}`);

  let stopping: Promise<void> | undefined;
  return {
    ds,
    health,
    stop() {
      stopping ??= (async () => {
        retries.stop();
        await Promise.all(consumers.map((x) => x.disconnect().catch(() => undefined)));
        await publishers?.stop().catch(() => undefined);
        await relay.stop().catch(() => undefined);
        await admin.disconnect().catch(() => undefined);
        await health?.close();
        await detector?.close().catch(() => undefined);
        rendezvous.close();
        await ds.destroy().catch(() => undefined);
      })();
      return stopping;
    },
  };
}
