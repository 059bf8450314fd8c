/** Percentiles and the hop table of bench:pipeline. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

export interface Row { name: string; samples: number[] }

export function summary(samples: readonly number[]): { n: number; p50: number; p99: number; max: number } {
  const s = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '-');

export function renderTable(title: string, rows: readonly Row[]): string {
  const head = ['hop', 'n', 'p50 ms', 'p99 ms', 'max ms'];
  const body = rows.map((r) => {
    const s = summary(r.samples);
    return [r.name, String(s.n), fmt(s.p50), fmt(s.p99), fmt(s.max)];
  });
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [`${title}`, line(head), ...body.map(line)].join('\n');
}
