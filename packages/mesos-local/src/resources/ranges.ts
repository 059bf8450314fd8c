import type { Range } from '../protocol/mesos-types';

/** Sorted, non-overlapping, merged (adjacent ranges joined) copy. */
export function normalizeRanges(ranges: readonly Range[]): Range[] {
  const sorted = ranges.map((r) => ({ begin: r.begin, end: r.end })).sort((a, b) => a.begin - b.begin);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.begin <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push(r);
  }
  return out;
}

export function unionRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  return normalizeRanges([...a, ...b]);
}

/** a minus b. */
export function subtractRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  let out = normalizeRanges(a);
  for (const cut of normalizeRanges(b)) {
    out = out.flatMap((r) => {
      if (cut.end < r.begin || cut.begin > r.end) return [r];
      const pieces: Range[] = [];
      if (cut.begin > r.begin) pieces.push({ begin: r.begin, end: cut.begin - 1 });
      if (cut.end < r.end) pieces.push({ begin: cut.end + 1, end: r.end });
      return pieces;
    });
  }
  return out;
}

/** True when every value of b lies in a. */
export function rangesContain(a: readonly Range[], b: readonly Range[]): boolean {
  return subtractRanges(b, a).length === 0;
}

export function rangesSize(ranges: readonly Range[]): number {
  return normalizeRanges(ranges).reduce((n, r) => n + (r.end - r.begin + 1), 0);
}

/** The v0 text form used by /master/state: `[31000-31009, 31020-31020]`. */
export function formatRanges(ranges: readonly Range[]): string {
  return `[${normalizeRanges(ranges).map((r) => `${r.begin}-${r.end}`).join(', ')}]`;
}

/** Parses `[31000-31009,31020-31020]` or `31000-31009` (brackets optional). */
export function parseRanges(text: string): Range[] {
  const inner = text.trim().replace(/^\[/, '').replace(/\]$/, '').trim();
  if (!inner) return [];
  return normalizeRanges(inner.split(',').map((part) => {
    const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part);
    if (!m) throw new Error(`"${part.trim()}" is not a range like 31000-31099`);
    const begin = Number(m[1]);
    const end = Number(m[2]);
    if (begin > end) throw new Error(`range ${begin}-${end} ends before it begins`);
    return { begin, end };
  }));
}
