import { resolve } from 'node:path';
import type { Config } from '@msched/config';
import { portOpen, RunningService, startService } from '@msched/devstack';

/** The repository the demo runs from, and the local stack's state directory. */
export const REPO = resolve(__dirname, '../../..');
export const STATE = resolve(REPO, process.env.MSCHED_STATE_DIR ?? '.state');

const tty = process.stdout.isTTY;
/** `s` in the ANSI style `code` on a terminal, plain otherwise. */
export const c = (code: string, s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
/** A step's heading. */
export const step = (s: string) => console.log(`\n${c('1;36', '==>')} ${c('1', s)}`);
/** A line under the current step. */
export const info = (s: string) => console.log(`    ${s}`);

/** Starts the API, the provisioner and the dispatcher (into `services`), once the API's port is known to be free. */
export async function startPipeline(cfg: Config, env: NodeJS.ProcessEnv, logs: string, services: RunningService[]): Promise<void> {
  if (await portOpen(cfg.api.port)) throw new Error(`port ${cfg.api.port} is in use: stop what listens there or set MSCHED_API_PORT`);
  services.push(startService(REPO, 'api', 'services/api/dist/main.js', env, logs));
  services.push(startService(REPO, 'provisioner', 'services/provisioner/dist/main.js', env, logs));
  services.push(startService(REPO, 'dispatcher', 'services/dispatcher/dist/main.js', env, logs));
}
