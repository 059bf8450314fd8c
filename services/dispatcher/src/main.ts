#!/usr/bin/env node
import { ConfigError, listSettings, loadConfig } from '@msched/config';
import { MesosLinkConfigError, mesosLink } from './framework/mesos-link';
import { createLogger } from '@msched/logging';
import { startDispatcher } from './service/start-dispatcher';

export { startDispatcher } from './service/start-dispatcher';
export type { DispatcherHandle, DispatcherOptions } from './service/start-dispatcher';

const HELP = `msched-dispatcher: the Mesos dispatch worker of the Airavata meta-scheduler

Usage: node services/dispatcher/dist/main.js [--help]

Runs one dispatcher replica: it consumes the dispatch and cancel topics into the job database, and
while elected leader (ZooKeeper) runs the Mesos v1 framework that gang-schedules the jobs. Run
several replicas for high availability; exactly one leads. A replica that loses the election stops
its framework at once and queues up again as a standby.

Configuration comes from the environment (or MSCHED_CONFIG_FILE); see docs/configuration.md.
Settings of the dispatcher:
${listSettings().filter((s) => s.path.startsWith('dispatcher.') || s.path.startsWith('mesos.')).map((s) => `  ${s.setting.env.padEnd(48)} ${s.setting.default === undefined ? '(required)' : s.setting.default || '""'}`).join('\n')}

Health, readiness and metrics: GET /healthz, /readyz, /metrics on MSCHED_DISPATCHER_HEALTH_PORT.
Stops cleanly on SIGTERM or SIGINT (Mesos keeps the tasks for the failover timeout).
`;

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (argv.length) {
    process.stderr.write(`unknown argument(s): ${argv.join(' ')}\n\n${HELP}`);
    return 2;
  }
  const cfg = loadConfig(process.env);
  mesosLink(cfg); // an unreadable secret or CA file stops the start, not the first subscription
  const logger = createLogger({ service: 'dispatcher', level: cfg.log.level, format: cfg.log.format, environment: cfg.environment });
  process.on('unhandledRejection', (e) => logger.error(`unhandled rejection: ${(e as Error)?.stack ?? String(e)}`));
  const dispatcher = await startDispatcher(cfg, { logger });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info(`${signal}: shutting down`);
      dispatcher.stop().then(resolve, (e: Error) => {
        logger.error(`shutting down: ${e.message}`);
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => {
    const message = e instanceof ConfigError || e instanceof MesosLinkConfigError ? e.message : (e as Error)?.stack ?? String(e);
    process.stderr.write(`msched-dispatcher failed to start: ${message}\n`);
    process.exit(1);
  });
}
