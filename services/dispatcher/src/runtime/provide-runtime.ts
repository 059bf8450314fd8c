import { hostname } from 'node:os';
import type { Config } from '@msched/config';
import type { Logger } from '@msched/logging';
import { runnerFromConfig, type FetchedRuntime, type RunnerLocation } from '@msched/mpi';
import { defaultRuntimeDir, readRuntimeBuild, RuntimeBuildError } from './runtime-build';
import { startRuntimeServer } from './runtime-server';

export interface ProvidedRuntime {
  /** The URI tasks fetch the runtime from; undefined when there is none (the reason was logged). */
  readonly uri?: string;
  close(): Promise<void>;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/**
 * Makes the task runtime reachable by the agents: an operator's MSCHED_RUNTIME_URI as is, else this
 * installation's build served by the dispatcher. A missing build does not stop the dispatcher (it
 * still serves cancels and status), but every launch then fails naming what to do.
 */
export async function provideRuntime(cfg: Config, logger: Logger): Promise<ProvidedRuntime> {
  const none = { close: async () => undefined };
  if (cfg.runtime.uri) {
    logger.info(`tasks fetch the runtime from ${cfg.runtime.uri}`);
    return { ...none, uri: cfg.runtime.uri };
  }
  if (cfg.mpi.runnerDir) return none;
  let build;
  try {
    build = readRuntimeBuild(cfg.runtime.dir || defaultRuntimeDir());
  } catch (e) {
    if (!(e instanceof RuntimeBuildError)) throw e;
    logger.error(`no gang can launch: ${e.message}`);
    return none;
  }
  const server = await startRuntimeServer(build, cfg.api.host, cfg.runtime.port);
  const host = cfg.runtime.advertiseHost || (WILDCARD.has(cfg.api.host) ? hostname() : cfg.api.host);
  const uri = `http://${host.includes(':') ? `[${host}]` : host}:${server.port}${server.path}`;
  logger.info(`serving the task runtime (${(build.size / 1e6).toFixed(1)} MB, glibc >= ${build.glibc ?? '?'}) at ${uri}`);
  return { uri, close: () => server.close() };
}

/**
 * What the tasks run: the fetched runtime normally; the programs installed on every agent only when
 * an operator set MSCHED_MPI_RUNNER_DIR.
 */
export function taskRunner(cfg: Config): RunnerLocation | FetchedRuntime {
  if (cfg.mpi.runnerDir) return runnerFromConfig(cfg.mpi);
  if (cfg.runtime.uri) return { uri: cfg.runtime.uri };
  throw new Error('no task runtime to fetch: run npm run build:runtime on the dispatcher\'s machine (then restart it), or set MSCHED_RUNTIME_URI');
}
