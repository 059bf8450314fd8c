import { readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { MetaSchedulerService } from '@msched/airavata-thrift';
import { createKafka } from '@msched/bus';
import type { Config } from '@msched/config';
import type { Logger } from '@msched/logging';
import type { Metrics } from '@msched/observability';
import { notifyOutbox } from '@msched/db';
import { LaunchBatcher } from './launch/launch-batcher';
import { OutboxRelay } from '@msched/outbox';
import { Authorizer, createAuthorizer } from './auth/authorizer';
import { createOidcAuthorizer } from './auth/oidc/oidc-authorizer';
import { MetaSchedulerHandler } from './handler/handler';
import type { IdSource } from './launch/ids';
import { RunningThriftServer, startThriftServer, ThriftProcessor } from './server/thrift-server';
import { policyFromConfig } from './validation/policy';

export interface ApiOptions {
  config: Config;
  ds: DataSource;
  logger: Logger;
  metrics?: Pick<Metrics, 'launches'>;
  /** Run an outbox relay in this process (default: MSCHED_API_RUN_RELAY). */
  relay?: boolean;
  /** Overrides config.api.port (0 picks a free port). */
  port?: number;
  ids?: IdSource;
}

export interface RunningApi {
  readonly port: number;
  readonly relay?: OutboxRelay;
  openConnections(): number;
  close(): Promise<void>;
}

export class ApiConfigError extends Error {
  readonly retriable = false;
}

function tlsFiles(api: Config['api']): { cert: Buffer; key: Buffer } | undefined {
  if (!api.tlsCertPath && !api.tlsKeyPath) return undefined;
  if (!api.tlsCertPath || !api.tlsKeyPath) throw new ApiConfigError('TLS needs both MSCHED_API_TLS_CERT and MSCHED_API_TLS_KEY');
  try {
    return { cert: readFileSync(api.tlsCertPath), key: readFileSync(api.tlsKeyPath) };
  } catch (e) {
    throw new ApiConfigError(`cannot read the TLS certificate or key: ${(e as Error).message}`);
  }
}

/**
 * The launch API: the Thrift server with its handler and (by default) an outbox relay publishing
 * what the handler commits. The caller owns the DataSource.
 */
export async function startApi(o: ApiOptions): Promise<RunningApi> {
  const { config: cfg, logger } = o;
  if (cfg.api.authMode === 'none' && cfg.environment === 'production') {
    throw new ApiConfigError('MSCHED_API_AUTH_MODE=none is refused in production: use oidc (Keycloak tokens, docs/operator-guide.md)');
  }
  if (cfg.api.authMode === 'none') logger.warn('the API accepts calls without a token (MSCHED_API_AUTH_MODE=none): development only');
  if ((cfg.api.authMode === 'static' || cfg.api.authMode === 'hmac') && cfg.environment === 'production') {
    logger.warn(`MSCHED_API_AUTH_MODE=${cfg.api.authMode} is meant for development: production calls carry Keycloak tokens (oidc)`);
  }
  let authorize: Authorizer;
  try {
    const mode = cfg.api.authMode;
    authorize = mode === 'oidc' ? createOidcAuthorizer(cfg.api.oidc, { logger }) : createAuthorizer(mode, cfg.api.authSecret);
  } catch (e) {
    throw new ApiConfigError((e as Error).message);
  }
  let relay: OutboxRelay | undefined;
  if (o.relay ?? cfg.api.runRelay) {
    relay = new OutboxRelay({
      ds: o.ds, logger, topicPrefix: cfg.kafka.topicPrefix, listenUrl: cfg.database.url,
      kafka: createKafka(cfg.kafka, logger, { retries: 2 }),
      batchSize: cfg.outbox.batchSize, pollIntervalMs: cfg.outbox.pollIntervalMs,
      backoff: { maxMs: cfg.outbox.maxBackoffMs }, retentionHours: cfg.outbox.retentionHours,
    });
    await relay.start();
  }
  // Our own relay is woken directly; without one, the relays of other processes by NOTIFY.
  const afterCommit = relay
    ? () => relay?.notify()
    : () => { notifyOutbox(o.ds).catch((e) => logger.debug(`NOTIFY after commit failed: ${(e as Error).message}`)); };
  const batcher = cfg.api.launchBatchSize > 1
    ? new LaunchBatcher({ db: o.ds, logger, maxBatch: cfg.api.launchBatchSize, maxInFlight: cfg.api.launchWritesInFlight, lingerMs: cfg.api.launchLingerMs })
    : undefined;
  const handler = new MetaSchedulerHandler({
    ds: o.ds, authorize, policy: policyFromConfig(cfg.api), maxWaitingGangs: cfg.scheduling.maxWaitingGangs, logger, metrics: o.metrics, ids: o.ids, afterCommit,
    recordLaunch: batcher && ((plan) => batcher.record(plan)),
  });
  const processor = new MetaSchedulerService.Processor(handler) as unknown as ThriftProcessor;
  let server: RunningThriftServer;
  try {
    server = await startThriftServer(processor, {
      host: cfg.api.host,
      port: o.port ?? cfg.api.port,
      transport: cfg.api.transport,
      maxMessageBytes: cfg.api.maxMessageBytes,
      idleTimeoutMs: cfg.api.idleTimeoutMs,
      maxConnections: cfg.api.maxConnections,
      tls: tlsFiles(cfg.api),
      logger,
    });
  } catch (e) {
    await relay?.stop();
    throw e;
  }
  return {
    port: server.port,
    relay,
    openConnections: server.openConnections,
    async close() {
      await server.close();
      await relay?.stop();
    },
  };
}
