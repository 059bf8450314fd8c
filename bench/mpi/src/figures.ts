/**
 * The programs' own figures of merit, read from what they print, and the statistics the bench
 * reports. Pure: unit-tested without running anything.
 */
export interface Figure {
  readonly name: string;
  readonly unit: string;
  /** Whether a larger value is better (bandwidth, Gflops) or worse (latency). */
  readonly higherIsBetter: boolean;
}

export const HPCC_FIGURES: ReadonlyArray<Figure & { key: string; scale: number }> = [
  { key: 'HPL_Tflops', name: 'HPL', unit: 'Gflops', scale: 1000, higherIsBetter: true },
  { key: 'PTRANS_GBs', name: 'PTRANS', unit: 'GB/s', scale: 1, higherIsBetter: true },
  { key: 'MPIRandomAccess_GUPs', name: 'RandomAccess', unit: 'GUP/s', scale: 1, higherIsBetter: true },
  { key: 'RandomlyOrderedRingLatency_usec', name: 'b_eff latency', unit: 'us', scale: 1, higherIsBetter: false },
  { key: 'RandomlyOrderedRingBandwidth_GBytes', name: 'b_eff bandwidth', unit: 'GB/s', scale: 1, higherIsBetter: true },
];

export const PINGPONG_FIGURES: ReadonlyArray<Figure & { key: string; scale: number }> = [
  { key: 'pingpong_latency_us', name: 'ping-pong latency', unit: 'us', scale: 1, higherIsBetter: false },
  { key: 'allreduce_MBps', name: 'allreduce bandwidth', unit: 'MB/s', scale: 1, higherIsBetter: true },
];

/** `key=value` lines, as hpcc's summary section and our ping-pong programs print them. */
export function keyValues(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=\s*([-+0-9.eE]+)\s*$/gm)) {
    const v = Number(m[2]);
    if (Number.isFinite(v)) out.set(m[1], v);
  }
  return out;
}

export class FigureError extends Error {}

/** The figures of one run, by name; throws naming what is missing (a failed or truncated run). */
export function readFigures(text: string, figures: ReadonlyArray<Figure & { key: string; scale: number }>, requireSuccess: boolean): Record<string, number> {
  const kv = keyValues(text);
  if (requireSuccess && kv.get('Success') !== 1) throw new FigureError(`the run did not report Success=1 (got ${kv.get('Success') ?? 'nothing'})`);
  const out: Record<string, number> = {};
  for (const f of figures) {
    const v = kv.get(f.key);
    if (v === undefined) throw new FigureError(`${f.key} missing from the output`);
    out[f.name] = v * f.scale;
  }
  return out;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** How the system compares with the baseline, 1.00 = the same; > 1 always means "the system is worse". */
export function penalty(system: number, baseline: number, higherIsBetter: boolean): number {
  return higherIsBetter ? baseline / system : system / baseline;
}

/** The hpcc input: HPL of order n on a p x q grid, everything else as Debian's example. */
export function hpccInput(example: string, n: number, p: number, q: number): string {
  const lines = example.split('\n');
  const set = (index: number, value: number, label: string) => {
    if (!lines[index]?.includes(label)) throw new Error(`unexpected hpcc example input: line ${index + 1} is not "${label}"`);
    lines[index] = lines[index].replace(/^\s*\d+/, String(value).padEnd(12));
  };
  set(5, n, 'Ns');
  set(10, p, 'Ps');
  set(11, q, 'Qs');
  return lines.join('\n');
}
