import { loadConfig } from '@msched/config';
import { createLogger } from '@msched/logging';
import { startConsole } from './start-console';

/** The console as a process (dist/main.js, `npm run console`): stops cleanly on SIGTERM/SIGINT. */
export async function runConsoleService(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const cfg = loadConfig(env);
  const logger = createLogger({ service: 'console', level: cfg.log.level, format: cfg.log.format, environment: cfg.environment });
  process.on('unhandledRejection', (e) => logger.error(`unhandled rejection: ${(e as Error)?.stack ?? String(e)}`));
  const c = await startConsole(cfg, { logger });
  logger.info(`console ready: ${c.url}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    await c.close().catch((e) => logger.error(`closing the console: ${(e as Error).message}`));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
