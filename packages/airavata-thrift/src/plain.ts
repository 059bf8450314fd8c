import type Int64 from 'node-int64';
import { isInt64 } from './int64';

/**
 * A generated Thrift struct as plain JSON: i64 → number, binary → base64 string, unset (null)
 * fields omitted, methods dropped. This is how structs are stored in the job database and carried
 * in our Kafka events, so consumers need no Thrift runtime to read them.
 */
export type Plain<T> =
  T extends Int64 ? number
    : T extends Buffer ? string
      : T extends ReadonlyArray<infer U> ? Array<Plain<U>>
        : T extends object ? { -readonly [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]?: Plain<NonNullable<T[K]>> }
          : T;

export function toPlain<T>(value: T): Plain<T> {
  return convert(value) as Plain<T>;
}

function convert(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (isInt64(v)) return v.toNumber(true);
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map(convert);
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (typeof x === 'function') continue;
      const c = convert(x);
      if (c !== undefined) out[k] = c;
    }
    return out;
  }
  return v;
}

/**
 * JSON with object keys sorted, so equal values always give equal text (used to hash payloads for
 * idempotency checks). Arrays keep their order: list order is meaningful in Thrift.
 */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
}
