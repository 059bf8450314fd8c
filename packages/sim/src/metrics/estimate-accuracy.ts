/** Expected starts recorded during a run: the i-th sample is job `jobIds[i]` at queue position `positions[i]` (1 = first). */
export class EstimateSamples {
  readonly jobIds: number[] = [];
  readonly positions: number[] = [];
  /** Seconds from the start of the log. */
  readonly at: number[] = [];
  /** Seconds from the start of the log; NaN: no estimate. */
  readonly expected: number[] = [];

  add(jobId: number, position: number, at: number, expected: number | undefined): void {
    this.jobIds.push(jobId);
    this.positions.push(position);
    this.at.push(at);
    this.expected.push(expected ?? NaN);
  }

  get size(): number {
    return this.jobIds.length;
  }
}

/** How good the expected starts were at one queue position. */
export interface PositionAccuracy {
  readonly position: number;
  /** Samples with an estimate whose job then started. */
  readonly samples: number;
  /** Samples without an estimate. */
  readonly noEstimate: number;
  /** Mean of |expected − actual start| (seconds). */
  readonly meanAbsError: number;
  readonly medianAbsError: number;
  /** Median of |expected − actual| ÷ the wait left when the estimate was made (actual − then, at least 60 s). */
  readonly medianRelativeError: number;
  /** Median of |expected − actual| ÷ the job's whole wait (actual − submit, at least 60 s): the "of the actual wait". */
  readonly medianErrorOfWait: number;
  /** Share of samples within 20 % of that wait. */
  readonly within20: number;
  /** Mean of expected − actual: positive when estimates were late (pessimistic). */
  readonly meanBias: number;
}

/** The relative error's floor on the remaining wait: a start within a minute of the estimate is not 100 % wrong. */
export const RELATIVE_FLOOR_SECONDS = 60;

const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  xs.sort((a, b) => a - b);
  const m = xs.length >> 1;
  return xs.length % 2 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
};

/** Accuracy per queue position, against each job's actual start (seconds; absent: never started, left out). */
export function estimateAccuracy(samples: EstimateSamples, starts: ReadonlyMap<number, number>, submits: ReadonlyMap<number, number>): PositionAccuracy[] {
  const byPos = new Map<number, { abs: number[]; rel: number[]; ofWait: number[]; bias: number; none: number }>();
  for (let i = 0; i < samples.size; i++) {
    const p = samples.positions[i];
    let b = byPos.get(p);
    if (!b) byPos.set(p, (b = { abs: [], rel: [], ofWait: [], bias: 0, none: 0 }));
    const expected = samples.expected[i];
    if (Number.isNaN(expected)) { b.none++; continue; }
    const actual = starts.get(samples.jobIds[i]);
    if (actual === undefined) continue;
    const err = expected - actual;
    b.abs.push(Math.abs(err));
    b.rel.push(Math.abs(err) / Math.max(actual - samples.at[i], RELATIVE_FLOOR_SECONDS));
    b.ofWait.push(Math.abs(err) / Math.max(actual - (submits.get(samples.jobIds[i]) ?? samples.at[i]), RELATIVE_FLOOR_SECONDS));
    b.bias += err;
  }
  return [...byPos].sort((x, y) => x[0] - y[0]).map(([position, b]): PositionAccuracy => {
    const n = b.abs.length;
    const within = b.rel.filter((r) => r <= 0.2).length;
    return {
      position,
      samples: n,
      noEstimate: b.none,
      meanAbsError: n ? b.abs.reduce((a, x) => a + x, 0) / n : NaN,
      medianAbsError: median(b.abs),
      medianRelativeError: median(b.rel),
      medianErrorOfWait: median(b.ofWait),
      within20: n ? within / n : NaN,
      meanBias: n ? b.bias / n : NaN,
    };
  });
}
