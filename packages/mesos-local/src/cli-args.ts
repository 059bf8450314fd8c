import { parseRanges } from './resources/ranges';
import type { LocalClusterOptions } from './cluster/local-cluster';

export type CliCommand =
  | { kind: 'cluster'; options: LocalClusterOptions; standby: boolean; logLevel: 'error' | 'warn' | 'info' | 'debug'; credentialsFile?: string }
  | { kind: 'probe'; url: string }
  | { kind: 'help' };

export const USAGE = `Usage: msched-local-cluster [options]        run a local Mesos cluster in the foreground
       msched-local-cluster probe <master-url>   exit 0 when the master's /master/state answers 200

Options:
  --agents N                 agents to run (default 4)
  --host ADDR                master bind address (default 127.0.0.1)
  --port P                   master HTTP port (default 5050; 0 = any free port)
  --zk zk://host:port/path   elect masters and find the leader through ZooKeeper
  --masters N                masters in this process, the extra ones standbys (needs --zk)
  --standby                  run one master only (no agents) that joins --zk as a standby
  --work-dir DIR             root of the agents' work dirs (default: a temporary directory)
  --cpus N --mem MB --disk MB   resources of each agent (defaults 4, 4096, 10240)
  --ports N|A-B              free ports per agent (default 16), or a range split between agents
  --ports-from P             where the search for free ports starts (default 31000)
  --attributes 'k:v;k2:v2'   agent attributes; %i becomes the agent's number (rack:r%i)
  --allocation-interval-ms MS  --heartbeat-seconds S  --offer-timeout-ms MS
  --agent-timeout-ms MS      disconnected agent marked unreachable after (default 75000)
  --reregister-timeout-ms MS agents of the registry must re-register within (default 600000)
  --update-retry-ms MS       first re-send of an unacknowledged status update (default 10000)
  --kill-grace-ms MS         SIGTERM to SIGKILL when a KILL names no grace period (default 3000)
  --sandbox-gc-delay-ms MS   remove a finished task's sandbox this long after its end was acknowledged (default: keep)
  --keep-registry            do not forget agents recorded by a previous run
  --credentials FILE         principals and secrets, Mesos' JSON format {"credentials":[{"principal":..,"secret":..}]}
  --authenticate_http_frameworks  frameworks must authenticate with HTTP Basic (needs --credentials)
  --tasks-without-node       tasks get a PATH without node (like agents where nothing is installed)
  --fetcher-cache-mb MB      fetcher cache size bound of each agent (default 2048; 0 disables it)
  --log-level L              error|warn|info|debug (default info)
`;

const num = (flag: string, v: string | undefined, min = 0): number => {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n) || n < min) throw new Error(`${flag} needs a number >= ${min}, got ${JSON.stringify(v)}`);
  return n;
};

/** Parses the command line, pure; every error names the flag. */
export function parseCli(argv: readonly string[]): CliCommand {
  if (argv[0] === 'probe') {
    if (!argv[1]) throw new Error('probe needs a master URL, e.g. http://127.0.0.1:5050');
    return { kind: 'probe', url: argv[1] };
  }
  const o: LocalClusterOptions = {};
  const timing: NonNullable<LocalClusterOptions['timing']> = {};
  let standby = false;
  let logLevel: 'error' | 'warn' | 'info' | 'debug' = 'info';
  let updateRetry: number | undefined;
  let credentialsFile: string | undefined;
  let authenticateFrameworks = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] = flag.startsWith('--') && flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = () => inline ?? argv[++i];
    switch (name) {
      case '-h': case '--help': return { kind: 'help' };
      case '--agents': o.agents = num(name, value()); break;
      case '--host': o.host = value(); break;
      case '--port': o.port = num(name, value()); break;
      case '--zk': o.zk = value(); break;
      case '--masters': o.masters = num(name, value(), 1); break;
      case '--standby': standby = true; break;
      case '--work-dir': o.workDir = value(); break;
      case '--cpus': o.cpus = num(name, value()); break;
      case '--mem': o.mem = num(name, value()); break;
      case '--disk': o.disk = num(name, value()); break;
      case '--ports': {
        const v = value() ?? '';
        o.ports = /^\d+$/.test(v) ? num(name, v, 1) : parseRanges(v)[0];
        if (o.ports === undefined) throw new Error(`--ports needs a count or a range like 31000-31999, got ${JSON.stringify(v)}`);
        break;
      }
      case '--ports-from': o.portsFrom = num(name, value(), 1); break;
      case '--attributes': o.attributes = value(); break;
      case '--allocation-interval-ms': timing.allocationIntervalMs = num(name, value(), 1); break;
      case '--heartbeat-seconds': timing.heartbeatIntervalSeconds = num(name, value(), 0.01); break;
      case '--offer-timeout-ms': timing.offerTimeoutMs = num(name, value(), 1); break;
      case '--agent-timeout-ms': timing.agentDisconnectTimeoutMs = num(name, value()); break;
      case '--reregister-timeout-ms': timing.agentReregisterTimeoutMs = num(name, value()); break;
      case '--update-retry-ms': updateRetry = num(name, value(), 1); break;
      case '--kill-grace-ms': o.defaultKillGraceMs = num(name, value()); break;
      case '--sandbox-gc-delay-ms': o.sandboxGcDelayMs = num(name, value()); break;
      case '--keep-registry': o.resetRegistry = false; break;
      case '--credentials': credentialsFile = value(); break;
      case '--authenticate_http_frameworks': authenticateFrameworks = true; break;
      case '--tasks-without-node': o.tasksWithoutNode = true; break;
      case '--fetcher-cache-mb': o.fetcherCacheBytes = num(name, value()) * 1024 * 1024; break;
      case '--log-level': {
        const v = value();
        if (v !== 'error' && v !== 'warn' && v !== 'info' && v !== 'debug') throw new Error(`--log-level must be error, warn, info or debug, got ${JSON.stringify(v)}`);
        logLevel = v;
        break;
      }
      default:
        throw new Error(`unknown option ${flag} (see --help)`);
    }
  }
  if (Object.keys(timing).length) o.timing = timing;
  if (updateRetry !== undefined) o.statusUpdateRetry = { baseMs: updateRetry, maxMs: Math.max(updateRetry, 600_000) };
  if (standby) {
    if (!o.zk) throw new Error('--standby needs --zk: a standby finds the leader through ZooKeeper');
    o.standby = true;
    o.resetRegistry = false;
  }
  if ((o.masters ?? 1) > 1 && !o.zk) throw new Error('--masters > 1 needs --zk');
  if (authenticateFrameworks && !credentialsFile) throw new Error('--authenticate_http_frameworks needs --credentials FILE');
  // As Mesos: credentials alone do not make HTTP frameworks authenticate.
  return { kind: 'cluster', options: o, standby, logLevel, ...(authenticateFrameworks ? { credentialsFile } : {}) };
}

export const AGENT_USAGE = `usage: cli.js agent --master zk://host:port/path|http://host:port --hostname NAME --work-dir DIR
       [--cpus N] [--mem MB] [--disk MB] [--ports N] [--attributes a:b;c:d] [--sandbox-gc-delay-ms MS]
       [--tasks-without-node] [--fetcher-cache-mb MB]
Runs one agent in this process, joining a running cluster; SIGTERM kills its tasks and leaves.
`;

/** What `cli.js agent` runs (see standalone-agent.ts). */
export interface AgentCliOptions {
  master: string;
  hostname: string;
  workDir: string;
  cpus: number;
  mem: number;
  disk: number;
  ports: number;
  attributes: string;
  sandboxGcDelayMs?: number;
  tasksWithoutNode: boolean;
  fetcherCacheBytes?: number;
}

const AGENT_VALUE_FLAGS = new Set(['master', 'hostname', 'work-dir', 'cpus', 'mem', 'disk', 'ports', 'attributes', 'sandbox-gc-delay-ms', 'fetcher-cache-mb']);

/** Parses `cli.js agent ...` (after the word agent), pure; every error names the flag. Null for --help. */
export function parseAgentCli(argv: readonly string[]): AgentCliOptions | null {
  const o: Record<string, string> = {};
  let tasksWithoutNode = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') return null;
    if (a === '--tasks-without-node') { tasksWithoutNode = true; continue; }
    const name = a.startsWith('--') ? a.slice(2) : '';
    if (!AGENT_VALUE_FLAGS.has(name)) throw new Error(`unknown argument ${a} (see --help)`);
    const value = argv[++i];
    if (value === undefined) throw new Error(`${a} needs a value`);
    o[name] = value;
  }
  for (const k of ['master', 'hostname', 'work-dir']) if (!o[k]) throw new Error('--master, --hostname and --work-dir are required');
  const opt = (k: string, d: number) => (o[k] === undefined ? d : num(`--${k}`, o[k]));
  return {
    master: o.master, hostname: o.hostname, workDir: o['work-dir'],
    cpus: opt('cpus', 4), mem: opt('mem', 4096), disk: opt('disk', 10240), ports: opt('ports', 100), attributes: o.attributes ?? '',
    ...(o['sandbox-gc-delay-ms'] !== undefined ? { sandboxGcDelayMs: num('--sandbox-gc-delay-ms', o['sandbox-gc-delay-ms']) } : {}),
    tasksWithoutNode,
    ...(o['fetcher-cache-mb'] !== undefined ? { fetcherCacheBytes: num('--fetcher-cache-mb', o['fetcher-cache-mb']) * 1024 * 1024 } : {}),
  };
}
