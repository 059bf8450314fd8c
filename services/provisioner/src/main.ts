#!/usr/bin/env node
import { ConfigError, loadConfig } from '@msched/config';
import { createLogger } from '@msched/logging';
import { CatalogueError } from './catalogue';
import { startProvisioner } from './provisioner';

const HELP = `msched provisioner: the provisioning worker.

Consumes accepted launches and runs, per job, the stages resolve → capacity → stage-inputs →
handoff, and after the job collect-outputs → cleanup, each retried on its own (dead-lettered when
out of attempts). Also relays its outbox and, unless MSCHED_PROVISIONER_RUN_PUBLISHERS=false, runs
the status publishers. Every setting is an environment variable: see docs/configuration.md.

Usage: node services/provisioner/dist/main.js [--help]
Health: GET /healthz, /readyz, /metrics on MSCHED_PROVISIONER_HEALTH_PORT.
`;

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const cfg = loadConfig();
  const logger = createLogger({ service: 'provisioner', level: cfg.log.level, format: cfg.log.format, environment: cfg.environment });
  process.on('unhandledRejection', (e) => logger.error(`unhandled rejection: ${(e as Error)?.stack ?? String(e)}`));
  const handle = await startProvisioner(cfg, { logger });
  const stop = async (signal: string) => {
    logger.info(`${signal}: shutting down`);
    await handle.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main(process.argv.slice(2)).catch((e) => {
  const msg = e instanceof ConfigError || e instanceof CatalogueError ? e.message : (e as Error)?.stack ?? String(e);
  process.stderr.write(`msched provisioner failed to start: ${msg}\n`);
  process.exit(1);
});
