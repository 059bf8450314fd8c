import { readdirSync, readFileSync } from 'node:fs';
import { isRankWrapperProcess } from '@msched/mpi';
import { median } from './figures';

/** Samples the resident memory of the rank wrappers running on this machine (isRankWrapperProcess) from /proc. */
export class RankWrapperSampler {
  private readonly peakKb = new Map<number, number>();
  private timer?: NodeJS.Timeout;

  start(): void {
    this.timer = setInterval(() => this.sample(), 100);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private sample(): void {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
        if (!isRankWrapperProcess(argv)) continue;
        const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1]);
        if (Number.isFinite(kb)) this.peakKb.set(Number(name), Math.max(kb, this.peakKb.get(Number(name)) ?? 0));
      } catch {
        // The process ended between listing and reading.
      }
    }
  }

  summary(): { processes: number; medianKb: number; maxKb: number } {
    const peaks = [...this.peakKb.values()];
    return { processes: peaks.length, medianKb: median(peaks), maxKb: peaks.length ? Math.max(...peaks) : NaN };
  }
}
