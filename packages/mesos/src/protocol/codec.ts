import { MesosProtocolError } from '../errors';
import type { SchedulerCall } from './calls';
import type { SchedulerEvent } from './events';
import { taskStateFrom } from './task-status';

/**
 * JSON codec of the scheduler API. Events are checked here, once, at the edge: whatever passes is
 * safe to use through the types without further checks. Only the fields the scheduler relies on
 * are checked; anything else passes through as the master sent it.
 */

export function encodeCall(call: SchedulerCall): Buffer {
  return Buffer.from(JSON.stringify(call), 'utf8');
}

type Json = Record<string, unknown>;

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

class Reader {
  constructor(private readonly eventType: string) {}

  fail(path: string, what: string): never {
    throw new MesosProtocolError(`${this.eventType} event: ${path} ${what}`);
  }

  object(parent: Json, key: string, path: string): Json {
    const v = parent[key];
    if (!isObject(v)) this.fail(`${path}${key}`, v === undefined ? 'is missing' : 'is not an object');
    return v;
  }

  string(parent: Json, key: string, path: string): string {
    const v = parent[key];
    if (typeof v !== 'string') this.fail(`${path}${key}`, v === undefined ? 'is missing' : 'is not a string');
    return v;
  }

  id(parent: Json, key: string, path: string): void {
    this.string(this.object(parent, key, path), 'value', `${path}${key}.`);
  }

  optionalId(parent: Json, key: string, path: string): void {
    if (parent[key] !== undefined) this.id(parent, key, path);
  }

  array(parent: Json, key: string, path: string): unknown[] {
    const v = parent[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(`${path}${key}`, 'is not an array');
    return v;
  }
}

function checkOffer(r: Reader, offer: unknown, path: string): void {
  if (!isObject(offer)) r.fail(path, 'is not an object');
  r.id(offer, 'id', `${path}.`);
  r.id(offer, 'agent_id', `${path}.`);
  r.string(offer, 'hostname', `${path}.`);
  const resources = r.array(offer, 'resources', `${path}.`);
  resources.forEach((res, i) => {
    if (!isObject(res)) r.fail(`${path}.resources[${i}]`, 'is not an object');
    r.string(res, 'name', `${path}.resources[${i}].`);
  });
  if (offer.resources === undefined) (offer as { resources: unknown[] }).resources = [];
}

function checkStatus(r: Reader, status: Json, path: string): void {
  r.id(status, 'task_id', path);
  const state = taskStateFrom(status.state);
  if (!state) r.fail(`${path}state`, `is not a known task state (${JSON.stringify(status.state)})`);
  status.state = state;
  r.optionalId(status, 'agent_id', path);
  if (status.uuid !== undefined && typeof status.uuid !== 'string') r.fail(`${path}uuid`, 'is not a Base64 string');
}

const KNOWN_TYPES = new Set([
  'SUBSCRIBED', 'OFFERS', 'INVERSE_OFFERS', 'RESCIND', 'RESCIND_INVERSE_OFFER', 'UPDATE',
  'UPDATE_OPERATION_STATUS', 'MESSAGE', 'FAILURE', 'ERROR', 'HEARTBEAT',
]);

/** Parses one RecordIO record into a typed event, or throws MesosProtocolError saying what is wrong. */
export function decodeEvent(record: Uint8Array | string): SchedulerEvent {
  const text = typeof record === 'string' ? record : Buffer.from(record.buffer, record.byteOffset, record.byteLength).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new MesosProtocolError(`event is not JSON (${(e as Error).message}): ${text.slice(0, 120)}`);
  }
  if (!isObject(parsed)) throw new MesosProtocolError(`event is not a JSON object: ${text.slice(0, 120)}`);
  const type = parsed.type;
  if (typeof type !== 'string') throw new MesosProtocolError(`event has no type: ${text.slice(0, 120)}`);
  if (!KNOWN_TYPES.has(type)) return { type: 'UNKNOWN', wireType: type };
  const r = new Reader(type);
  switch (type) {
    case 'SUBSCRIBED': {
      const s = r.object(parsed, 'subscribed', '');
      r.id(s, 'framework_id', 'subscribed.');
      const hb = s.heartbeat_interval_seconds;
      if (hb !== undefined && (typeof hb !== 'number' || !(hb > 0))) r.fail('subscribed.heartbeat_interval_seconds', 'is not a positive number');
      break;
    }
    case 'OFFERS': {
      const o = r.object(parsed, 'offers', '');
      const list = r.array(o, 'offers', 'offers.');
      list.forEach((offer, i) => checkOffer(r, offer, `offers.offers[${i}]`));
      if (o.offers === undefined) o.offers = [];
      break;
    }
    case 'RESCIND':
      r.id(r.object(parsed, 'rescind', ''), 'offer_id', 'rescind.');
      break;
    case 'UPDATE':
      checkStatus(r, r.object(r.object(parsed, 'update', ''), 'status', 'update.'), 'update.status.');
      break;
    case 'FAILURE': {
      const f = r.object(parsed, 'failure', '');
      r.optionalId(f, 'agent_id', 'failure.');
      r.optionalId(f, 'executor_id', 'failure.');
      break;
    }
    case 'ERROR':
      r.string(r.object(parsed, 'error', ''), 'message', 'error.');
      break;
    case 'MESSAGE': {
      const m = r.object(parsed, 'message', '');
      r.id(m, 'agent_id', 'message.');
      r.id(m, 'executor_id', 'message.');
      break;
    }
    case 'INVERSE_OFFERS': {
      const o = r.object(parsed, 'inverse_offers', '');
      if (o.inverse_offers === undefined) o.inverse_offers = [];
      break;
    }
    case 'RESCIND_INVERSE_OFFER':
      r.id(r.object(parsed, 'rescind_inverse_offer', ''), 'inverse_offer_id', 'rescind_inverse_offer.');
      break;
    case 'UPDATE_OPERATION_STATUS':
      r.object(r.object(parsed, 'update_operation_status', ''), 'status', 'update_operation_status.');
      break;
    case 'HEARTBEAT':
      break;
  }
  return parsed as unknown as SchedulerEvent;
}
