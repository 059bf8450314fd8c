/** Latency summary of one phase. */
export interface PhaseResult {
  name: string;
  operations: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, i)];
}

export function summarize(name: string, latenciesMs: number[], seconds: number): PhaseResult {
  const s = [...latenciesMs].sort((a, b) => a - b);
  return { name, operations: s.length, seconds, perSecond: s.length / seconds, p50Ms: percentile(s, 50), p99Ms: percentile(s, 99), maxMs: s[s.length - 1] };
}

/**
 * Runs `op` `total` times spread over `workers` concurrent loops (each loop waits for its previous
 * call, as a synchronous Thrift client does) and times every call.
 */
export async function runPhase(name: string, workers: number, total: number, op: (worker: number, i: number) => Promise<unknown>): Promise<PhaseResult> {
  const latencies: number[] = [];
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const t0 = process.hrtime.bigint();
      await op(w, i);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }));
  return summarize(name, latencies, Number(process.hrtime.bigint() - start) / 1e9);
}

export function renderResults(rows: readonly PhaseResult[]): string {
  const head = ['phase', 'ops', 'seconds', 'ops/s', 'p50 ms', 'p99 ms', 'max ms'];
  const body = rows.map((r) => [r.name, String(r.operations), r.seconds.toFixed(2), r.perSecond.toFixed(0), r.p50Ms.toFixed(2), r.p99Ms.toFixed(2), r.maxMs.toFixed(1)]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  return [head, ...body].map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ')).join('\n');
}
