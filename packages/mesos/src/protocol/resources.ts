import type { Range, Resource } from './messages';

/** Small pure helpers for reading and writing Mesos resources. */

export function scalarResource(name: string, value: number, extra: Partial<Resource> = {}): Resource {
  return { ...extra, name, type: 'SCALAR', scalar: { value } };
}

export function rangesResource(name: string, ranges: readonly Range[], extra: Partial<Resource> = {}): Resource {
  return { ...extra, name, type: 'RANGES', ranges: { range: ranges.map((r) => ({ begin: r.begin, end: r.end })) } };
}

/** Sum of a scalar resource over a list (e.g. all `cpus` of one offer). */
export function sumScalar(resources: readonly Resource[], name: string): number {
  let total = 0;
  for (const r of resources) if (r.name === name && r.scalar) total += r.scalar.value;
  return total;
}

/** Number of ports (or other range items) in a list of ranges, ends inclusive. */
export function rangeSize(ranges: readonly Range[]): number {
  let n = 0;
  for (const r of ranges) n += r.end - r.begin + 1;
  return n;
}

/** Turns port numbers into the fewest inclusive ranges, e.g. [31000,31001,31005] → 31000-31001, 31005-31005. */
export function numbersToRanges(numbers: readonly number[]): Range[] {
  const sorted = [...numbers].sort((a, b) => a - b);
  const out: Range[] = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last && n === last.end + 1) out[out.length - 1] = { begin: last.begin, end: n };
    else if (!last || n > last.end) out.push({ begin: n, end: n });
  }
  return out;
}

/**
 * Mesos stores scalars as fixed-point with three decimals; comparing floating sums needs a small
 * tolerance so that 0.1 + 0.2 cpus counts as 0.3.
 */
export const SCALAR_EPSILON = 0.0005;
