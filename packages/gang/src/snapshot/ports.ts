import type { Range } from '@msched/mesos/protocol';

/** Sorts and merges overlapping or touching ranges. */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter((r) => r.end >= r.begin).sort((a, b) => a.begin - b.begin);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.begin <= last.end + 1) out[out.length - 1] = { begin: last.begin, end: Math.max(last.end, r.end) };
    else out.push({ begin: r.begin, end: r.end });
  }
  return out;
}

export function countPorts(ranges: readonly Range[]): number {
  let n = 0;
  for (const r of ranges) n += r.end - r.begin + 1;
  return n;
}

/** The lowest `count` ports of the ranges (deterministic, so a retry asks for the same ports). */
export function takePorts(ranges: readonly Range[], count: number): number[] {
  const out: number[] = [];
  for (const r of ranges) {
    for (let p = r.begin; p <= r.end && out.length < count; p++) out.push(p);
    if (out.length === count) break;
  }
  return out;
}
