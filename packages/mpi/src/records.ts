/**
 * The JSON documents the tasks, the remote shell and the rank wrapper exchange through ZooKeeper. Each has
 * a parser that rejects anything malformed: any process able to write the rendezvous subtree could
 * otherwise steer what a task executes.
 */
export interface MemberRecord {
  readonly index: number;
  readonly hostname: string;
  readonly agentId: string;
  readonly taskId: string;
  readonly slots: number;
  readonly port?: number;
  readonly pid: number;
  /** Identity of the machine (kernel) the task runs on: tasks on one machine share its cores. */
  readonly machine?: string;
  /** Cores the task can run on, for the launcher to see an oversubscribed machine. */
  readonly cores?: number;
}

export interface DaemonRequest {
  /** The MPI daemon's argv (orted / hydra_pmi_proxy and its options), already tokenized. */
  readonly argv: readonly string[];
  /** The host name mpirun asked for, kept for logs. */
  readonly host: string;
  /** Unique per call: a create retried through a ZooKeeper outage finds its request by it (remote-shell.ts). */
  readonly nonce?: string;
}

export interface DaemonExit {
  readonly code: number | null;
  readonly signal: string | null;
  /** Set when the daemon could not be started at all. */
  readonly error?: string;
}

export interface RankExit {
  readonly rank: number;
  readonly code: number | null;
  readonly signal: string | null;
  readonly hostname: string;
  /** Wall-clock ms when the wrapper saw the rank end: the earliest failure is the likely cause. */
  readonly atMs: number;
  /** Set when the program could not be started (e.g. executable not found). */
  readonly error?: string;
}

export class RecordError extends Error {
  constructor(what: string, problem: string) {
    super(`malformed ${what}: ${problem}`);
    this.name = 'RecordError';
  }
}

type Obj = Record<string, unknown>;

function object(buf: Buffer | string, what: string): Obj {
  let x: unknown;
  try {
    x = JSON.parse(buf.toString());
  } catch (e) {
    throw new RecordError(what, (e as Error).message);
  }
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new RecordError(what, 'not a JSON object');
  return x as Obj;
}

const isNat = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isStr = (v: unknown): v is string => typeof v === 'string';
const codeOrNull = (v: unknown): v is number | null => v === null || isNat(v);
const strOrNull = (v: unknown): v is string | null => v === null || isStr(v);

export function parseMemberRecord(buf: Buffer | string): MemberRecord {
  const o = object(buf, 'member record');
  if (!isNat(o.index) || !isStr(o.hostname) || !o.hostname || !isStr(o.agentId) || !isStr(o.taskId) || !isNat(o.slots) || o.slots < 1 || !isNat(o.pid)) {
    throw new RecordError('member record', JSON.stringify(o));
  }
  if (o.port !== undefined && (!isNat(o.port) || o.port < 1 || o.port > 65535)) throw new RecordError('member record', `port ${String(o.port)}`);
  if (o.machine !== undefined && (!isStr(o.machine) || !o.machine)) throw new RecordError('member record', `machine ${JSON.stringify(o.machine)}`);
  if (o.cores !== undefined && (!isNat(o.cores) || o.cores < 1)) throw new RecordError('member record', `cores ${JSON.stringify(o.cores)}`);
  return {
    index: o.index, hostname: o.hostname, agentId: o.agentId, taskId: o.taskId, slots: o.slots, port: o.port as number | undefined, pid: o.pid,
    // Absent in records of tasks from before these facts existed: left out, not set to undefined.
    ...(o.machine === undefined ? {} : { machine: o.machine as string }),
    ...(o.cores === undefined ? {} : { cores: o.cores as number }),
  };
}

export function parseDaemonRequest(buf: Buffer | string): DaemonRequest {
  const o = object(buf, 'daemon request');
  if (!Array.isArray(o.argv) || o.argv.length === 0 || !o.argv.every((a) => isStr(a) && !a.includes('\0')) || !isStr(o.host)) {
    throw new RecordError('daemon request', JSON.stringify(o));
  }
  return { argv: o.argv as string[], host: o.host };
}

export function parseDaemonExit(buf: Buffer | string): DaemonExit {
  const o = object(buf, 'daemon exit');
  if (!codeOrNull(o.code) || !strOrNull(o.signal)) throw new RecordError('daemon exit', JSON.stringify(o));
  return { code: o.code, signal: o.signal, error: isStr(o.error) ? o.error : undefined };
}

export function parseRankExit(buf: Buffer | string): RankExit {
  const o = object(buf, 'rank exit');
  if (!isNat(o.rank) || !codeOrNull(o.code) || !strOrNull(o.signal) || !isStr(o.hostname) || !isNat(o.atMs)) {
    throw new RecordError('rank exit', JSON.stringify(o));
  }
  return { rank: o.rank, code: o.code, signal: o.signal, hostname: o.hostname, atMs: o.atMs, error: isStr(o.error) ? o.error : undefined };
}
