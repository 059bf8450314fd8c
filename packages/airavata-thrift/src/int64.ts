import Int64 from 'node-int64';

/**
 * Airavata's i64 fields are epoch milliseconds. The runtime reads them as node-int64 objects; we
 * hand numbers to the rest of the code (milliseconds stay far below 2^53).
 */
export function toInt64(ms: number): Int64 {
  return new Int64(ms);
}

export function int64ToNumber(v: Int64 | number | null | undefined): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') return v;
  return v.toNumber(true);
}

export function isInt64(v: unknown): v is Int64 {
  return v instanceof Int64;
}
