import { randomUUID } from 'node:crypto';

/**
 * Every message on our topics is an envelope: a stable id (consumers drop redeliveries by it), a
 * type, a schema version, and the time it was made.
 */
export interface Envelope<T = unknown> {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly time: string;
  readonly payload: T;
}

export class EnvelopeError extends Error {}

export function makeEnvelope<T>(type: string, payload: T, opts: { id?: string; version?: number; time?: Date } = {}): Envelope<T> {
  return { id: opts.id ?? randomUUID(), type, version: opts.version ?? 1, time: (opts.time ?? new Date()).toISOString(), payload };
}

export function encodeEnvelope(env: Envelope): Buffer {
  return Buffer.from(JSON.stringify(env));
}

/** Parses and checks the envelope frame; the payload is checked by whoever consumes its type. */
export function decodeEnvelope(buf: Buffer | null): Envelope {
  if (!buf) throw new EnvelopeError('empty message');
  let v: unknown;
  try {
    v = JSON.parse(buf.toString('utf8'));
  } catch {
    throw new EnvelopeError('message is not JSON');
  }
  const e = v as Partial<Envelope>;
  if (typeof e !== 'object' || e === null || typeof e.id !== 'string' || typeof e.type !== 'string'
    || typeof e.version !== 'number' || typeof e.time !== 'string' || !('payload' in e)) {
    throw new EnvelopeError('message is not an envelope {id, type, version, time, payload}');
  }
  return e as Envelope;
}
