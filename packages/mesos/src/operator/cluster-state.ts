import { MesosProtocolError } from '../errors';
import type { Range } from '../protocol/messages';

/**
 * The parts of `GET /master/state` the provisioner and the offer policy need: every agent with its
 * total, used, offered and reserved resources. The endpoint speaks v0 JSON: resources are maps such
 * as `{"cpus":8,"mem":4096,"ports":"[31000-32000]"}` and attributes a flat map.
 */
export interface ResourceAmounts {
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly gpus: number;
  readonly ports: readonly Range[];
}

export interface AgentState {
  readonly id: string;
  readonly hostname: string;
  readonly port?: number;
  readonly active: boolean;
  readonly attributes: Readonly<Record<string, string | number>>;
  readonly total: ResourceAmounts;
  readonly used: ResourceAmounts;
  readonly offered: ResourceAmounts;
  /** Reserved resources per role; what is not reserved is usable by every role. */
  readonly reservedByRole: Readonly<Record<string, ResourceAmounts>>;
}

export interface ClusterState {
  /** The master that answered (after redirects). */
  readonly masterUrl: string;
  readonly masterId?: string;
  readonly version?: string;
  /**
   * When the answering master was elected (epoch ms, from `elected_time`): for a while after it,
   * agents are still re-registering and the list is not the whole cluster.
   */
  readonly electedAt?: number;
  readonly agents: readonly AgentState[];
  /**
   * Agents the master knows from its registry that have not re-registered since it was elected
   * (`recovered_slaves`): part of the cluster, absent from `agents` until they are back.
   */
  readonly recoveringAgentIds?: readonly string[];
}

const EMPTY: ResourceAmounts = { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Parses the v0 range syntax `[31000-32000, 33000-33005]`. */
export function parseV0Ranges(text: string): Range[] {
  const inner = text.trim().replace(/^\[/, '').replace(/\]$/, '').trim();
  if (inner === '') return [];
  return inner.split(',').map((part) => {
    const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part);
    if (!m) throw new MesosProtocolError(`"${text}" is not a v0 range list such as [31000-32000]`);
    return { begin: Number(m[1]), end: Number(m[2]) };
  });
}

function amounts(x: unknown, where: string): ResourceAmounts {
  if (x === undefined || x === null) return EMPTY;
  if (!isObject(x)) throw new MesosProtocolError(`${where} is not a resource map`);
  const num = (k: string) => (typeof x[k] === 'number' ? (x[k] as number) : 0);
  return {
    cpus: num('cpus'),
    mem: num('mem'),
    disk: num('disk'),
    gpus: num('gpus'),
    ports: typeof x.ports === 'string' ? parseV0Ranges(x.ports) : [],
  };
}

function attributes(x: unknown): Record<string, string | number> {
  if (!isObject(x)) return {};
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(x)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}

/** Checks and converts the JSON body of `GET /master/state`. */
export function parseClusterState(body: string, masterUrl: string): ClusterState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    throw new MesosProtocolError(`/master/state of ${masterUrl} is not JSON (${(e as Error).message})`);
  }
  if (!isObject(parsed)) throw new MesosProtocolError(`/master/state of ${masterUrl} is not a JSON object`);
  const slaves = parsed.slaves ?? [];
  if (!Array.isArray(slaves)) throw new MesosProtocolError(`/master/state of ${masterUrl}: "slaves" is not a list`);
  const agents = slaves.map((s, i): AgentState => {
    if (!isObject(s) || typeof s.id !== 'string' || typeof s.hostname !== 'string') {
      throw new MesosProtocolError(`/master/state of ${masterUrl}: slaves[${i}] lacks id or hostname`);
    }
    const reserved: Record<string, ResourceAmounts> = {};
    if (isObject(s.reserved_resources)) {
      for (const [role, r] of Object.entries(s.reserved_resources)) reserved[role] = amounts(r, `slaves[${i}].reserved_resources.${role}`);
    }
    return {
      id: s.id,
      hostname: s.hostname,
      ...(typeof s.port === 'number' ? { port: s.port } : {}),
      active: s.active !== false,
      attributes: attributes(s.attributes),
      total: amounts(s.resources, `slaves[${i}].resources`),
      used: amounts(s.used_resources, `slaves[${i}].used_resources`),
      offered: amounts(s.offered_resources, `slaves[${i}].offered_resources`),
      reservedByRole: reserved,
    };
  });
  // Mesos writes each as a SlaveInfo, whose id is an object ({"value": ...}); accept a plain string too.
  const recovering = (Array.isArray(parsed.recovered_slaves) ? parsed.recovered_slaves : [])
    .map((r) => (isObject(r) ? (isObject(r.id) ? r.id.value : r.id) : undefined))
    .filter((id): id is string => typeof id === 'string');
  return {
    masterUrl,
    ...(typeof parsed.id === 'string' ? { masterId: parsed.id } : {}),
    ...(typeof parsed.version === 'string' ? { version: parsed.version } : {}),
    ...(typeof parsed.elected_time === 'number' && Number.isFinite(parsed.elected_time) ? { electedAt: Math.round(parsed.elected_time * 1000) } : {}),
    agents,
    ...(recovering.length ? { recoveringAgentIds: recovering } : {}),
  };
}
