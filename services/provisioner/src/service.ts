import { ConfigError, loadConfig } from '@msched/config';
import { createLogger } from '@msched/logging';
import { CatalogueError } from './catalogue';
import { startProvisioner } from './provisioner';

export const PROVISIONER_HELP = `msched provisioner: the provisioning worker.

Consumes accepted launches and runs, per job, the stages resolve → capacity → stage-inputs →
handoff, and after the job collect-outputs → cleanup, each retried on its own (dead-lettered when
out of attempts). Also relays its outbox and, unless MSCHED_PROVISIONER_RUN_PUBLISHERS=false, runs
the status publishers. Every setting is an environment variable: see docs/configuration.md.

Usage: node services/provisioner/dist/main.js [--help]   (or: msched provisioner serve)
Health: GET /healthz, /readyz, /metrics on MSCHED_PROVISIONER_HEALTH_PORT.
`;

/** The provisioner as a process: runs until SIGTERM/SIGINT, then stops cleanly. */
export async function runProvisionerService(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let cfg;
  try {
    cfg = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) throw new Error(e.message);
    throw e;
  }
  const logger = createLogger({ service: 'provisioner', level: cfg.log.level, format: cfg.log.format, environment: cfg.environment });
  process.on('unhandledRejection', (e) => logger.error(`unhandled rejection: ${(e as Error)?.stack ?? String(e)}`));
  let handle;
  try {
    handle = await startProvisioner(cfg, { logger });
  } catch (e) {
    if (e instanceof CatalogueError) throw new Error(e.message);
    throw e;
  }
  const h = handle;
  const stop = async (signal: string) => {
    logger.info(`${signal}: shutting down`);
    await h.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
