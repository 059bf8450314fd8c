import { SimInputError } from './errors';
import { ALL_BASELINES, type BaselineName, type CompareOptions } from './report/compare';
import type { NoEstimatePolicy } from './swf/parse-swf';

/** The simulator's settings in the words of `msched sim` and `npm run bench:trace`. */
export interface SimSettings {
  readonly compare: CompareOptions;
  readonly noEstimate: NoEstimatePolicy;
}

export interface SimFlags {
  readonly baselines?: string;
  readonly limit?: string;
  readonly 'serial-load'?: string;
  readonly 'serial-mean-seconds'?: string;
  readonly seed?: string;
  readonly 'no-estimate'?: string;
  readonly hold?: string;
  readonly 'decline-refuse'?: string;
  readonly aging?: string;
  readonly 'allocation-interval-ms'?: string;
  readonly 'no-spare-backfill'?: boolean;
  readonly 'no-hold-for-reservation'?: boolean;
  readonly 'backfill-order'?: string;
  readonly 'spare-rule'?: string;
}

/** The flags every entry point accepts (node:util parseArgs shape). */
export const SIM_FLAG_SPEC = {
  baselines: { type: 'string' },
  limit: { type: 'string' },
  'serial-load': { type: 'string' },
  'serial-mean-seconds': { type: 'string' },
  seed: { type: 'string' },
  'no-estimate': { type: 'string' },
  hold: { type: 'string' },
  'decline-refuse': { type: 'string' },
  aging: { type: 'string' },
  'allocation-interval-ms': { type: 'string' },
  'no-spare-backfill': { type: 'boolean' },
  'no-hold-for-reservation': { type: 'boolean' },
  'backfill-order': { type: 'string' },
  'spare-rule': { type: 'string' },
} as const;

function number(flag: string, text: string | undefined, min: number, max = Infinity): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max) throw new SimInputError(`--${flag} must be a number from ${min}${Number.isFinite(max) ? ` to ${max}` : ''}, got "${text}"`);
  return n;
}

export function settingsFromFlags(f: SimFlags): SimSettings {
  const baselines = f.baselines === undefined ? ALL_BASELINES : f.baselines === '' || f.baselines === 'none' ? [] : f.baselines.split(',').map((b) => {
    if (!(ALL_BASELINES as readonly string[]).includes(b)) throw new SimInputError(`--baselines takes ${ALL_BASELINES.join(',')} (or none), got "${b}"`);
    return b as BaselineName;
  });
  const noEstimate = f['no-estimate'] ?? 'exact';
  if (noEstimate !== 'exact' && noEstimate !== 'skip') throw new SimInputError(`--no-estimate must be exact or skip, got "${noEstimate}"`);
  const serialLoad = number('serial-load', f['serial-load'], 0, 0.95);
  const policyConfig = {
    ...(f.hold !== undefined ? { holdSeconds: number('hold', f.hold, 1) } : {}),
    ...(f['decline-refuse'] !== undefined ? { declineRefuseSeconds: number('decline-refuse', f['decline-refuse'], 0) } : {}),
    ...(f.aging !== undefined ? { reservationAgingSeconds: number('aging', f.aging, 0) } : {}),
    ...(f['no-spare-backfill'] ? { backfillOnSpare: false } : {}),
    ...(f['no-hold-for-reservation'] ? { holdForReservation: false } : {}),
    ...(f['backfill-order'] !== undefined ? { backfillOrder: backfillOrder(f['backfill-order']) } : {}),
    ...(f['spare-rule'] !== undefined ? { spareRule: spareRule(f['spare-rule']) } : {}),
  };
  const limit = number('limit', f.limit, 1);
  const interval = number('allocation-interval-ms', f['allocation-interval-ms'], 1);
  return {
    noEstimate,
    compare: {
      baselines,
      ...(limit !== undefined ? { limit: Math.floor(limit) } : {}),
      mesos: {
        policyConfig,
        ...(interval !== undefined ? { allocationIntervalMs: interval } : {}),
        ...(serialLoad ? { serial: { load: serialLoad, meanRunSeconds: number('serial-mean-seconds', f['serial-mean-seconds'], 1) ?? 300, seed: number('seed', f.seed, 0) ?? 1 } } : {}),
      },
    },
  };
}

function spareRule(text: string): 'head-placement' | 'head-fits' {
  if (text !== 'head-placement' && text !== 'head-fits') throw new SimInputError(`--spare-rule must be head-placement or head-fits, got "${text}"`);
  return text;
}

function backfillOrder(text: string): 'queue' | 'shortest-first' {
  if (text !== 'queue' && text !== 'shortest-first') throw new SimInputError(`--backfill-order must be queue or shortest-first, got "${text}"`);
  return text;
}
