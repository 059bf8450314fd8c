import { join, resolve } from 'node:path';
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

/**
 * The settings both demos run the services with, on the local cluster: its agents share this machine
 * and have names that do not resolve, so MPI talks over loopback.
 */
export function demoEnv(dir: string, catalogue: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    MSCHED_STATE_DIR: STATE,
    MSCHED_APP_CATALOGUE: catalogue,
    MSCHED_DATA_ROOT: join(dir, 'data'),
    MSCHED_MESOS_MASTER: process.env.MSCHED_MESOS_MASTER ?? 'zk://127.0.0.1:22181/mesos',
    MSCHED_MPI_NETWORK_INTERFACES: 'lo',
    MSCHED_MPI_OPENMPI_BTL: 'tcp,self',
    MSCHED_MPI_LAUNCHER_ADDRESS: '127.0.0.1',
    MSCHED_LOG_FORMAT: 'json',
    MSCHED_DISPATCHER_OFFER_HOLD_SECONDS: '5',
  };
}

/** Starts the API, the provisioner and the dispatcher (into `services`), once the API's port is known to be free. */
export async function startPipeline(cfg: Config, env: NodeJS.ProcessEnv, logs: string, services: RunningService[]): Promise<void> {
  if (await portOpen(cfg.api.port)) throw new Error(`port ${cfg.api.port} is in use: stop what listens there or set MSCHED_API_PORT`);
  services.push(startService(REPO, 'api', 'services/api/dist/main.js', env, logs));
  services.push(startService(REPO, 'provisioner', 'services/provisioner/dist/main.js', env, logs));
  services.push(startService(REPO, 'dispatcher', 'services/dispatcher/dist/main.js', env, logs));
}
