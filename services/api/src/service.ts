import { countUnsentOutbox, openDatabase, redactUrl } from '@msched/db';
import { loadConfig } from '@msched/config';
import { createLogger } from '@msched/logging';
import type { DataSource } from 'typeorm';
import { createMetrics, onScrape, startHealthServer, Startup } from '@msched/observability';
import { startApi } from './app';

/**
 * The API service as a process: migrations, Thrift server, outbox relay, health and metrics
 * endpoints; stops cleanly on SIGTERM/SIGINT. Used by dist/main.js and `msched api serve`.
 */
export async function runApiService(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const cfg = loadConfig(env);
  const logger = createLogger({ service: 'api', level: cfg.log.level, format: cfg.log.format, environment: cfg.environment });
  // A bug must not take the service down with a half-written answer: log it and keep serving.
  process.on('unhandledRejection', (e) => logger.error(`unhandled rejection: ${(e as Error)?.stack ?? String(e)}`));

  const metrics = createMetrics('api');
  const startup = new Startup(logger);
  let ds: DataSource | undefined;
  // Up before any server is: /readyz says what start-up waits for.
  const health = cfg.api.healthPort > 0
    ? await startHealthServer({
      host: cfg.api.host, port: cfg.api.healthPort, registry: metrics.registry,
      checks: [
        startup.readiness(),
        { name: 'database', check: async () => { if (!ds) return false; await ds.query('SELECT 1'); return true; } },
      ],
    })
    : undefined;
  logger.info(`opening the job database ${redactUrl(cfg.database.url)}`);
  const db = await startup.waitFor(`PostgreSQL (${redactUrl(cfg.database.url)})`, () => openDatabase(cfg.database, { migrate: cfg.database.runMigrations, applicationName: 'msched-api' }));
  ds = db;
  // Its outbox relay reaches Kafka in its own retry loop: launches are accepted while Kafka is down.
  // A wrong setting (TLS files, auth mode) or a taken port fails start-up at once.
  const api = await startApi({ config: cfg, ds: db, logger, metrics });
  startup.done();

  onScrape(metrics.outboxPending, async (g) => { g.set(await countUnsentOutbox(db)); });
  logger.info(`API ready on port ${api.port}${health ? `, health and metrics on port ${health.port}` : ''}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    await api.close().catch((e) => logger.error(`closing the API: ${(e as Error).message}`));
    await health?.close();
    await db.destroy().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
