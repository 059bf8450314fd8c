import type { MpiFlavour } from '@msched/model';

/**
 * The environment contract of the gang task program (gang-task.js): the ONLY way the dispatcher
 * tells a task what to do. Parsed and validated once, at start, by parseGangTaskEnv; everything
 * downstream works on the typed GangTaskEnv. The remote shell and the rank wrapper inherit the same
 * variables (through mpirun and the MPI daemons) and parse them with the same function.
 */
export const GANG_ENV = {
  zkConnect: 'MSCHED_GANG_ZK_CONNECT',
  zkSessionTimeoutMs: 'MSCHED_GANG_ZK_SESSION_TIMEOUT_MS',
  zkRetryMs: 'MSCHED_GANG_ZK_RETRY_MS',
  rendezvousPath: 'MSCHED_GANG_RENDEZVOUS_PATH',
  rendezvousTimeoutMs: 'MSCHED_GANG_RENDEZVOUS_TIMEOUT_MS',
  taskIndex: 'MSCHED_GANG_TASK_INDEX',
  memberCount: 'MSCHED_GANG_MEMBER_COUNT',
  slots: 'MSCHED_GANG_SLOTS',
  ranks: 'MSCHED_GANG_RANKS',
  port: 'MSCHED_GANG_PORT',
  hostname: 'MSCHED_GANG_HOSTNAME',
  agentId: 'MSCHED_GANG_AGENT_ID',
  taskId: 'MSCHED_GANG_TASK_ID',
  sandbox: 'MSCHED_GANG_SANDBOX',
  flavour: 'MSCHED_GANG_MPI_FLAVOUR',
  appArgv: 'MSCHED_GANG_APP_ARGV',
  appEnv: 'MSCHED_GANG_APP_ENV',
  stdin: 'MSCHED_GANG_STDIN',
  wallTimeSeconds: 'MSCHED_GANG_WALLTIME_SECONDS',
  jobId: 'MSCHED_GANG_JOB_ID',
  processId: 'MSCHED_GANG_PROCESS_ID',
  experimentId: 'MSCHED_GANG_EXPERIMENT_ID',
  gatewayId: 'MSCHED_GANG_GATEWAY_ID',
  attempt: 'MSCHED_GANG_ATTEMPT',
  mpiLauncher: 'MSCHED_GANG_MPI_LAUNCHER',
  mpiInterfaces: 'MSCHED_GANG_MPI_INTERFACES',
  openmpiBtl: 'MSCHED_GANG_OPENMPI_BTL',
  launcherAddress: 'MSCHED_GANG_LAUNCHER_ADDRESS',
  killGraceMs: 'MSCHED_GANG_KILL_GRACE_MS',
  logLevel: 'MSCHED_GANG_LOG_LEVEL',
} as const;

/** Mesos' own variables, used when ours are absent (real Mesos and the local cluster set them). */
export const MESOS_ENV = {
  sandbox: ['MESOS_SANDBOX', 'MESOS_DIRECTORY'],
  agentId: ['MESOS_AGENT_ID', 'MESOS_SLAVE_ID'],
  taskId: ['MESOS_TASK_ID'],
} as const;

/**
 * Set by a task on every process it starts (never by the dispatcher): the marker that lets a task
 * find and end everything it started, even processes that left its process group (MPI daemons put
 * each rank in a group of its own) or were orphaned.
 */
export const TAG_VARIABLE = 'MSCHED_GANG_TAG';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface GangMember {
  /** 0-based position in the placement; 0 is the launcher. */
  readonly index: number;
  /** Number of tasks in the gang. */
  readonly count: number;
  /** Ranks placed on this task's agent. */
  readonly slots: number;
  /** A port from this agent's offer; the launcher uses its own as MPICH's control port. */
  readonly port?: number;
  readonly hostname: string;
  readonly agentId: string;
  readonly taskId: string;
}

export interface JobIds {
  readonly jobId: string;
  readonly processId: string;
  readonly experimentId: string;
  readonly gatewayId: string;
  readonly attempt: number;
}

export interface MpiOptions {
  /** mpirun.openmpi or mpiexec.hydra; empty for flavour 'none'. */
  readonly launcherPath: string;
  readonly interfaces: readonly string[];
  readonly openmpiBtl: string;
  /** MPICH: address the proxies dial to reach mpiexec; undefined means the launcher's hostname. */
  readonly launcherAddress?: string;
}

export interface GangTaskEnv {
  readonly zk: {
    readonly connect: readonly string[];
    readonly sessionTimeoutMs: number;
    /**
     * How long a read or write the task needs keeps retrying through a ZooKeeper outage before the
     * task gives up (default 3 minutes): ZooKeeper is a rendezvous, an outage is no reason to fail a job.
     */
    readonly retryMs: number;
  };
  readonly rendezvousPath: string;
  readonly rendezvousTimeoutMs: number;
  readonly member: GangMember;
  readonly isLauncher: boolean;
  /** Total ranks of the job (sum of every member's slots). */
  readonly ranks: number;
  readonly sandbox: string;
  readonly flavour: MpiFlavour;
  readonly app: {
    readonly argv: readonly string[];
    readonly env: Readonly<Record<string, string>>;
    /** Sandbox-relative file fed to the application's (rank 0's) standard input. */
    readonly stdin?: string;
  };
  /** 0 means no limit. */
  readonly wallTimeSeconds: number;
  readonly job: JobIds;
  readonly mpi: MpiOptions;
  readonly killGraceMs: number;
  readonly logLevel: LogLevel;
}

export class GangEnvError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid gang task environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'GangEnvError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const FLAVOURS: readonly MpiFlavour[] = ['openmpi', 'mpich', 'none'];
const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOST_PORT = /^([A-Za-z0-9_.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/;

/** Collects every problem instead of stopping at the first, so one failed start tells the whole story. */
class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string, fallbacks: readonly string[] = []): string | undefined {
    for (const n of [name, ...fallbacks]) {
      const v = this.env[n];
      if (v !== undefined && v !== '') return v;
    }
    return undefined;
  }

  str(name: string, fallbacks: readonly string[] = []): string {
    const v = this.raw(name, fallbacks);
    if (v === undefined) {
      this.problems.push(`${name}${fallbacks.length ? ` (or ${fallbacks.join(', ')})` : ''} is not set`);
      return '';
    }
    return v;
  }

  int(name: string, min: number, max: number, def?: number): number {
    const v = this.raw(name);
    if (v === undefined) {
      if (def !== undefined) return def;
      this.problems.push(`${name} is not set: expected an integer between ${min} and ${max}`);
      return min;
    }
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) {
      this.problems.push(`${name}=${JSON.stringify(v)} is invalid: expected an integer between ${min} and ${max}`);
      return min;
    }
    return n;
  }

  oneOf<T extends string>(name: string, values: readonly T[], def?: T): T {
    const v = this.raw(name) ?? def;
    if (v === undefined || !values.includes(v as T)) {
      this.problems.push(`${name}=${JSON.stringify(v ?? '')} is invalid: expected one of ${values.join(', ')}`);
      return values[0];
    }
    return v as T;
  }

  json<T>(name: string, check: (x: unknown) => string | undefined, def?: T): T {
    const v = this.raw(name);
    if (v === undefined) {
      if (def !== undefined) return def;
      this.problems.push(`${name} is not set`);
      return undefined as T;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch (e) {
      this.problems.push(`${name} is not valid JSON (${(e as Error).message})`);
      return (def ?? undefined) as T;
    }
    const problem = check(parsed);
    if (problem) this.problems.push(`${name} ${problem}`);
    return parsed as T;
  }
}

function checkArgv(x: unknown): string | undefined {
  if (!Array.isArray(x) || x.length === 0) return 'must be a non-empty JSON array of strings (the application argv)';
  if (x.some((a) => typeof a !== 'string' || a.includes('\0'))) return 'must hold only strings without NUL characters';
  if ((x[0] as string).length === 0) return 'must start with a non-empty executable';
  return undefined;
}

function checkEnvObject(x: unknown): string | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'must be a JSON object of NAME: "value"';
  for (const [k, v] of Object.entries(x)) {
    if (!ENV_NAME.test(k)) return `has an invalid variable name ${JSON.stringify(k)}`;
    if (typeof v !== 'string' || v.includes('\0')) return `value of ${k} must be a string without NUL characters`;
  }
  return undefined;
}

/** Parses and validates the whole contract; throws GangEnvError listing every problem. */
export function parseGangTaskEnv(env: Env): GangTaskEnv {
  const r = new Reader(env);
  const connectRaw = r.str(GANG_ENV.zkConnect);
  const connect = connectRaw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (connectRaw && (connect.length === 0 || connect.some((c) => !HOST_PORT.test(c)))) {
    r.problems.push(`${GANG_ENV.zkConnect}=${JSON.stringify(connectRaw)} is invalid: expected host:port[,host:port...]`);
  }
  const rendezvousPath = r.str(GANG_ENV.rendezvousPath);
  if (rendezvousPath && (!rendezvousPath.startsWith('/') || rendezvousPath.endsWith('/') || rendezvousPath.includes('//'))) {
    r.problems.push(`${GANG_ENV.rendezvousPath}=${JSON.stringify(rendezvousPath)} is invalid: expected an absolute znode path`);
  }
  const count = r.int(GANG_ENV.memberCount, 1, 100000);
  const index = r.int(GANG_ENV.taskIndex, 0, 100000);
  if (index >= count) r.problems.push(`${GANG_ENV.taskIndex}=${index} is out of range for ${GANG_ENV.memberCount}=${count}`);
  const slots = r.int(GANG_ENV.slots, 1, 100000);
  const ranks = r.int(GANG_ENV.ranks, 1, 10000000);
  if (ranks < count) r.problems.push(`${GANG_ENV.ranks}=${ranks} is smaller than ${GANG_ENV.memberCount}=${count}: every task holds at least one rank`);
  const portRaw = r.raw(GANG_ENV.port);
  const port = portRaw === undefined ? undefined : r.int(GANG_ENV.port, 1, 65535);
  const flavour = r.oneOf(GANG_ENV.flavour, FLAVOURS);
  if (flavour === 'none' && (count !== 1 || ranks !== 1 || slots !== 1)) {
    r.problems.push(`a serial job (${GANG_ENV.flavour}=none) is one task with one rank: got ${count} task(s), ${ranks} rank(s), ${slots} slot(s)`);
  }
  const launcherPath = r.raw(GANG_ENV.mpiLauncher) ?? '';
  if (flavour !== 'none' && !launcherPath) r.problems.push(`${GANG_ENV.mpiLauncher} is not set: the path of mpirun/mpiexec is required for ${flavour}`);
  const interfaces = (r.raw(GANG_ENV.mpiInterfaces) ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (interfaces.some((i) => !/^[A-Za-z0-9_.:-]+$/.test(i))) r.problems.push(`${GANG_ENV.mpiInterfaces} holds an invalid interface name`);
  const openmpiBtl = r.raw(GANG_ENV.openmpiBtl) ?? '';
  if (openmpiBtl && !/^\^?[a-z0-9_]+(,[a-z0-9_]+)*$/.test(openmpiBtl)) r.problems.push(`${GANG_ENV.openmpiBtl}=${JSON.stringify(openmpiBtl)} is invalid: expected a comma-separated list such as tcp,self`);
  const argv = r.json<string[]>(GANG_ENV.appArgv, checkArgv);
  const appEnv = r.json<Record<string, string>>(GANG_ENV.appEnv, checkEnvObject, {});
  const stdin = r.raw(GANG_ENV.stdin);
  if (stdin !== undefined && (stdin.startsWith('/') || stdin.split('/').includes('..'))) {
    r.problems.push(`${GANG_ENV.stdin}=${JSON.stringify(stdin)} is invalid: expected a path inside the sandbox`);
  }
  const parsed: GangTaskEnv = {
    zk: { connect, sessionTimeoutMs: r.int(GANG_ENV.zkSessionTimeoutMs, 1000, 120000, 10000), retryMs: r.int(GANG_ENV.zkRetryMs, 0, 3600000, 180000) },
    rendezvousPath,
    rendezvousTimeoutMs: r.int(GANG_ENV.rendezvousTimeoutMs, 100, 3600000, 120000),
    member: { index, count, slots, port, hostname: r.str(GANG_ENV.hostname), agentId: r.str(GANG_ENV.agentId, MESOS_ENV.agentId), taskId: r.str(GANG_ENV.taskId, MESOS_ENV.taskId) },
    isLauncher: index === 0,
    ranks,
    sandbox: r.str(GANG_ENV.sandbox, MESOS_ENV.sandbox),
    flavour,
    app: { argv, env: appEnv, stdin },
    wallTimeSeconds: r.int(GANG_ENV.wallTimeSeconds, 0, 10 * 365 * 86400, 0),
    job: {
      jobId: r.str(GANG_ENV.jobId),
      processId: r.str(GANG_ENV.processId),
      experimentId: r.str(GANG_ENV.experimentId),
      gatewayId: r.str(GANG_ENV.gatewayId),
      attempt: r.int(GANG_ENV.attempt, 1, 1000000),
    },
    mpi: { launcherPath, interfaces, openmpiBtl, launcherAddress: r.raw(GANG_ENV.launcherAddress) },
    killGraceMs: r.int(GANG_ENV.killGraceMs, 0, 600000, 3000),
    logLevel: r.oneOf(GANG_ENV.logLevel, LOG_LEVELS, 'info'),
  };
  if (parsed.sandbox && !parsed.sandbox.startsWith('/')) r.problems.push(`sandbox ${JSON.stringify(parsed.sandbox)} must be an absolute path`);
  if (r.problems.length) throw new GangEnvError(r.problems);
  return parsed;
}
