import { SimInputError } from '../errors';

/** What the header comments of an SWF file say about the machine (absent when the header does not). */
export interface SwfHeader {
  readonly maxProcs?: number;
  readonly maxNodes?: number;
  readonly unixStartTime?: number;
  readonly computer?: string;
}

/** One job of the trace as the simulators see it: all times in seconds from the start of the log. */
export interface TraceJob {
  /** SWF field 1. */
  readonly id: number;
  readonly submit: number;
  /** Processors (= gang ranks): the requested number, or the allocated one when no request is recorded. */
  readonly procs: number;
  /** The wall-time limit: the requested time, or the recorded run time when the log has no request (see `noEstimate`). */
  readonly wallTime: number;
  /** The run time recorded in the log. */
  readonly recordedRunTime: number;
  /** What it runs for here: the recorded run time, cut at the wall-time limit (killed there, as the dispatcher does). */
  readonly runTime: number;
  /** True when `wallTime` came from the run time because the log has no requested time. */
  readonly exactEstimate: boolean;
  /** SWF field 12, the user id (-1 when the log does not say). */
  readonly user: number;
  /** SWF field 13, the group id (-1 when the log does not say). */
  readonly group: number;
}

/** What to do with a job whose requested time is missing. */
export type NoEstimatePolicy = 'skip' | 'exact';

export interface SwfTrace {
  readonly header: SwfHeader;
  /** In submit order (ties by job number). */
  readonly jobs: readonly TraceJob[];
  /** Data lines skipped, by reason (a field missing is never guessed). */
  readonly skipped: ReadonlyMap<string, number>;
  /** Jobs kept with their run time as the limit, because no requested time was recorded. */
  readonly exactEstimates: number;
  readonly dataLines: number;
}

export interface SwfParseOptions {
  /** Default 'exact': the recorded run time is the limit (counted in `exactEstimates`); 'skip' drops such jobs. */
  readonly noEstimate?: NoEstimatePolicy;
}

const HEADER_KEYS: Record<string, keyof SwfHeader> = {
  maxprocs: 'maxProcs', maxnodes: 'maxNodes', unixstarttime: 'unixStartTime', computer: 'computer',
};

/**
 * Parses the Standard Workload Format (Parallel Workloads Archive): `;` header comments, then one
 * job per line of 18 whitespace-separated fields, -1 meaning unknown. A job is kept only when its
 * submit time, run time and processor count are known; anything else is skipped and counted.
 */
export function parseSwf(text: string, options: SwfParseOptions = {}): SwfTrace {
  const noEstimate = options.noEstimate ?? 'exact';
  const header: { -readonly [K in keyof SwfHeader]: SwfHeader[K] } = {};
  const jobs: TraceJob[] = [];
  const skipped = new Map<string, number>();
  const skip = (why: string) => skipped.set(why, (skipped.get(why) ?? 0) + 1);
  let exactEstimates = 0;
  let dataLines = 0;
  let lineNo = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    lineNo++;
    if (line === '') continue;
    if (line.startsWith(';')) {
      readHeaderLine(line, header, lineNo);
      continue;
    }
    dataLines++;
    const f = line.split(/\s+/);
    if (f.length < 18) {
      skip(`fewer than 18 fields`);
      continue;
    }
    const num = f.map(Number);
    if (num.slice(0, 18).some((x) => !Number.isFinite(x))) {
      skip('a field is not a number');
      continue;
    }
    const [id, submit, , run, allocated, , , requested, reqTime, , , user, group] = num;
    if (submit < 0) { skip('no submit time'); continue; }
    if (run < 0) { skip('no run time'); continue; }
    const procs = requested > 0 ? requested : allocated > 0 ? allocated : -1;
    if (procs <= 0 || !Number.isInteger(procs)) { skip('no processor count'); continue; }
    let wallTime = reqTime;
    let exact = false;
    if (!(reqTime > 0)) {
      if (noEstimate === 'skip') { skip('no requested time'); continue; }
      wallTime = Math.max(run, 1);
      exact = true;
      exactEstimates++;
    }
    jobs.push({ id, submit, procs, wallTime, recordedRunTime: run, runTime: Math.min(run, wallTime), exactEstimate: exact, user, group });
  }
  jobs.sort((a, b) => a.submit - b.submit || a.id - b.id);
  return { header, jobs, skipped, exactEstimates, dataLines };
}

function readHeaderLine(line: string, header: { -readonly [K in keyof SwfHeader]: SwfHeader[K] }, lineNo: number): void {
  const m = /^;\s*([A-Za-z]+)\s*:\s*(.*)$/.exec(line);
  if (!m) return;
  const key = HEADER_KEYS[m[1].toLowerCase()];
  if (!key) return;
  const value = m[2].trim();
  if (key === 'computer') {
    header.computer = value;
    return;
  }
  const n = Number(value.split(/\s+/)[0]);
  if (!Number.isFinite(n) || n < 0) throw new SimInputError(`SWF header line ${lineNo}: ${m[1]} must be a number, got "${value}"`);
  header[key] = n;
}
