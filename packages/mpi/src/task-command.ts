import { join, resolve } from 'node:path';
import type { Config } from '@msched/config';
import type { GangSpec, MpiFlavour } from '@msched/model';
import { GANG_ENV, MESOS_ENV, parseGangTaskEnv } from './env-contract';
import { rendezvousPath } from './rendezvous-layout';

/** Where the gang task program lives on the agents. */
export interface RunnerLocation {
  /** Absolute path of node on the agents. */
  readonly node: string;
  /** Folder holding gang-task.js, remote-shell.js, rank-helper.js / msched-rank-exec and rank-wrapper.js. */
  readonly distDir: string;
}

/**
 * The single executable runtime (npm run build:runtime) as a URI the agents fetch into every
 * sandbox: nothing of ours needs to be installed on them.
 */
export interface FetchedRuntime {
  /** http(s):// (or file://) URI of msched-task-<sha256>; the hash in it keeps versions apart. */
  readonly uri: string;
}

/** The name the runtime gets in the sandbox (CommandInfo.URI.output_file). */
export const RUNTIME_FILE = 'msched-task';

/** The CommandInfo.URI of the runtime: cached per agent (the URI changes whenever the content does). */
export function runtimeUri(runtime: FetchedRuntime): { value: string; executable: true; extract: false; cache: true; output_file: string } {
  return { value: runtime.uri, executable: true, extract: false, cache: true, output_file: RUNTIME_FILE };
}

/** This machine's node and this installation's dist: what the local cluster's agents see. */
export function localRunner(): RunnerLocation {
  return { node: process.execPath, distDir: resolve(__dirname) };
}

/** The runner from configuration, falling back to this machine's for empty settings. */
export function runnerFromConfig(mpi: Config['mpi']): RunnerLocation {
  const local = localRunner();
  return { node: mpi.runnerNode || local.node, distDir: mpi.runnerDir || local.distDir };
}

/** The gang's ids, ranks (total) and wall time (0: no limit) as in its GangSpec, and how to run it. */
export interface GangTaskJob extends Pick<GangSpec, 'jobId' | 'processId' | 'experimentId' | 'gatewayId' | 'attempt' | 'ranks' | 'wallTimeSeconds'> {
  readonly flavour: MpiFlavour;
  /** The application argv (executable first), e.g. from buildApplicationArgv. */
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Sandbox-relative file for standard input (standardInputOf). */
  readonly stdin?: string;
}

/** One task of the placement: what the dispatcher knows once the gang is placed. */
export interface GangTaskPlacement {
  /** 0-based; task 0 runs the launcher. */
  readonly index: number;
  readonly memberCount: number;
  /** Ranks placed on this agent. */
  readonly slots: number;
  /** A port from this agent's offer. */
  readonly port?: number;
  /** The agent's hostname as offered (Mesos does not pass it to tasks). */
  readonly hostname: string;
  readonly agentId: string;
  readonly taskId: string;
}

export interface GangTaskSettings {
  readonly zookeeper: Pick<Config['zookeeper'], 'connect' | 'root' | 'sessionTimeoutMs'>;
  readonly mpi: Config['mpi'];
  readonly logLevel?: 'error' | 'warn' | 'info' | 'debug';
}

/** A Mesos CommandInfo (shell:false): `value` is the executable, `arguments` the argv incl. argv[0]. */
export interface GangTaskCommand {
  readonly shell: false;
  readonly value: string;
  readonly arguments: string[];
  readonly environment: { readonly variables: Array<{ name: string; value: string }> };
  /** The runtime to fetch first, when the task runs from a FetchedRuntime. */
  readonly uris?: ReturnType<typeof runtimeUri>[];
}

function launcherPathFor(flavour: MpiFlavour, mpi: Config['mpi']): string {
  if (flavour === 'openmpi') return mpi.openmpiMpirun;
  if (flavour === 'mpich') return mpi.mpichMpiexec;
  return '';
}

/**
 * The CommandInfo of one task of a placed gang. Pure: the dispatcher calls it once per task and maps
 * the result into its LAUNCH. Every task of a gang gets the same job and settings and its own
 * placement; a serial job (flavour 'none') is one placement with index 0, memberCount 1, slots 1.
 * Throws GangEnvError (every problem listed) when the result would not start.
 */
export function buildGangTaskCommand(job: GangTaskJob, placement: GangTaskPlacement, settings: GangTaskSettings, runner: RunnerLocation | FetchedRuntime = runnerFromConfig(settings.mpi)): GangTaskCommand {
  if (job.argv.length === 0 || !job.argv[0]) throw new Error('the application argv is empty');
  if (placement.index < 0 || placement.index >= placement.memberCount) throw new Error(`task index ${placement.index} out of range for ${placement.memberCount} task(s)`);
  const vars: Record<string, string | undefined> = {
    [GANG_ENV.zkConnect]: settings.zookeeper.connect.join(','),
    [GANG_ENV.zkSessionTimeoutMs]: String(settings.zookeeper.sessionTimeoutMs),
    [GANG_ENV.zkRetryMs]: String(settings.mpi.zkRetrySeconds * 1000),
    [GANG_ENV.rendezvousPath]: rendezvousPath(settings.zookeeper.root, job.jobId, job.attempt),
    [GANG_ENV.rendezvousTimeoutMs]: String(settings.mpi.rendezvousTimeoutSeconds * 1000),
    [GANG_ENV.taskIndex]: String(placement.index),
    [GANG_ENV.memberCount]: String(placement.memberCount),
    [GANG_ENV.slots]: String(placement.slots),
    [GANG_ENV.ranks]: String(job.ranks),
    [GANG_ENV.port]: placement.port === undefined ? undefined : String(placement.port),
    [GANG_ENV.hostname]: placement.hostname,
    [GANG_ENV.agentId]: placement.agentId,
    [GANG_ENV.taskId]: placement.taskId,
    [GANG_ENV.flavour]: job.flavour,
    [GANG_ENV.appArgv]: JSON.stringify(job.argv),
    [GANG_ENV.appEnv]: JSON.stringify(job.env ?? {}),
    [GANG_ENV.stdin]: job.stdin,
    [GANG_ENV.wallTimeSeconds]: String(job.wallTimeSeconds),
    [GANG_ENV.jobId]: job.jobId,
    [GANG_ENV.processId]: job.processId,
    [GANG_ENV.experimentId]: job.experimentId,
    [GANG_ENV.gatewayId]: job.gatewayId,
    [GANG_ENV.attempt]: String(job.attempt),
    [GANG_ENV.mpiLauncher]: launcherPathFor(job.flavour, settings.mpi) || undefined,
    [GANG_ENV.mpiInterfaces]: settings.mpi.networkInterfaces || undefined,
    [GANG_ENV.openmpiBtl]: settings.mpi.openmpiBtl || undefined,
    [GANG_ENV.launcherAddress]: settings.mpi.launcherAddress || undefined,
    [GANG_ENV.killGraceMs]: String(settings.mpi.killGraceMs),
    [GANG_ENV.logLevel]: settings.logLevel,
  };
  const defined = Object.entries(vars).filter((e): e is [string, string] => e[1] !== undefined);
  // The task validates its environment when it starts; running the same check here turns a wrong
  // setting into an error at the dispatcher instead of a failed job. The agent supplies the sandbox.
  parseGangTaskEnv({ ...Object.fromEntries(defined), [MESOS_ENV.sandbox[0]]: '/sandbox' });
  const variables = defined.map(([name, value]) => ({ name, value }));
  if ('uri' in runner) {
    // Mesos starts the command in the sandbox, where the fetcher put the runtime.
    const program = `./${RUNTIME_FILE}`;
    return { shell: false, value: program, arguments: [program, 'gang-task'], environment: { variables }, uris: [runtimeUri(runner)] };
  }
  const program = join(runner.distDir, 'gang-task.js');
  return { shell: false, value: runner.node, arguments: [runner.node, program], environment: { variables } };
}
