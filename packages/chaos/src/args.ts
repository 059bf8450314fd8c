import { FAULT_KINDS, FaultKind } from './schedule';

export interface ChaosArgs {
  seed: number;
  durationMs: number;
  /** Faults per minute. */
  rate: number;
  faults: FaultKind[];
  /** Launches per minute of the workload. */
  launchRate: number;
  /** Folder for histories and logs (default .state/chaos/<seed>-<time>). */
  out?: string;
  /** Longest wait for the system to settle after the workload (ms). */
  settleMs: number;
  /** Thrift fuzz cases to send during the run (0: none). */
  fuzzCases: number;
  /** How long each MPI gang's program runs, drawn in [min, max] seconds. */
  gangSeconds: { min: number; max: number };
  /** cpus of each of the four agents (the cluster's capacity; the machine's cores are shared). */
  agentCpus: number;
}

/** "5m", "90s", "1500ms", "2m30s" or plain seconds. */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of t.matchAll(re)) {
    if (m.index !== consumed) break;
    consumed += m[0].length;
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  }
  if (consumed !== t.length || consumed === 0) throw new Error(`${JSON.stringify(text)} is not a duration (e.g. 5m, 90s, 2m30s)`);
  return total;
}

export function parseFaultKinds(text: string): FaultKind[] {
  if (text === 'all') return [...FAULT_KINDS];
  if (text === 'none' || text === '') return [];
  const kinds = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  if (unknown.length) throw new Error(`unknown fault kind(s) ${unknown.join(', ')}; known: ${FAULT_KINDS.join(', ')}`);
  return [...new Set(kinds)] as FaultKind[];
}

export const CHAOS_USAGE = `usage: npm run chaos -- [--seed N] [--duration 5m] [--rate FAULTS_PER_MIN] [--faults all|kind,kind...]
                      [--launch-rate LAUNCHES_PER_MIN] [--gang-seconds 3-20] [--agent-cpus 2] [--settle 4m] [--fuzz CASES] [--out DIR]
       npm run chaos -- --recheck RUN_DIR      judge a finished run again from its histories.json
fault kinds: ${FAULT_KINDS.join(', ')}
`;

/** Parses the command line, pure; every error names the flag. */
export function parseChaosArgs(argv: readonly string[]): ChaosArgs {
  const a: ChaosArgs = { seed: 1, durationMs: 5 * 60_000, rate: 2, faults: [...FAULT_KINDS], launchRate: 12, settleMs: 4 * 60_000, fuzzCases: 0, gangSeconds: { min: 3, max: 20 }, agentCpus: 2 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    const num = (min: number): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isFinite(n) || n < min) throw new Error(`${name} needs a number >= ${min}, got ${JSON.stringify(v)}`);
      return n;
    };
    switch (name) {
      case '--seed': a.seed = Math.floor(num(0)); break;
      case '--duration': a.durationMs = parseDuration(value()); break;
      case '--rate': a.rate = num(0); break;
      case '--faults': a.faults = parseFaultKinds(value()); break;
      case '--launch-rate': a.launchRate = num(0.1); break;
      case '--settle': a.settleMs = parseDuration(value()); break;
      case '--fuzz': a.fuzzCases = Math.floor(num(0)); break;
      case '--out': a.out = value(); break;
      case '--agent-cpus': a.agentCpus = Math.floor(num(1)); break;
      case '--gang-seconds': {
        const v = value();
        const m = /^(\d+)-(\d+)$/.exec(v);
        if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new Error(`--gang-seconds needs MIN-MAX seconds with 1 <= MIN <= MAX, got ${JSON.stringify(v)}`);
        a.gangSeconds = { min: Number(m[1]), max: Number(m[2]) };
        break;
      }
      default: throw new Error(`unknown option ${flag}\n${CHAOS_USAGE}`);
    }
  }
  if (a.durationMs < 10_000) throw new Error('--duration must be at least 10s');
  return a;
}
