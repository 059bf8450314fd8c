import { DEFAULT_FAIR_SHARE, type FairShareConfig } from '@msched/gang';
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
  readonly 'fair-share'?: boolean;
  readonly 'fair-weight'?: string;
  readonly 'age-weight'?: string;
  readonly 'half-life-days'?: string;
  readonly 'estimate-every'?: string;
  readonly 'starvation-hours'?: string;
  readonly 'oldest-leads-hours'?: string;
  readonly 'spare-rule'?: string;
  readonly 'no-revive-on-end'?: boolean;
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
  'fair-share': { type: 'boolean' },
  'fair-weight': { type: 'string' },
  'age-weight': { type: 'string' },
  'half-life-days': { type: 'string' },
  'estimate-every': { type: 'string' },
  'starvation-hours': { type: 'string' },
  'oldest-leads-hours': { type: 'string' },
  'spare-rule': { type: 'string' },
  'no-revive-on-end': { type: 'boolean' },
} as const;

/** Expected starts are recorded for this many waiting gangs (the issue's "first 10"). */
export const ESTIMATE_DEPTH = 10;
/** Default sampling period of expected starts (simulated seconds). */
export const ESTIMATE_EVERY_SECONDS = 3600;

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
    ...(f['no-revive-on-end'] ? { reviveOnGangEnd: false } : {}),
  };
  const fairShare: FairShareConfig | undefined = f['fair-share'] ? {
    ...DEFAULT_FAIR_SHARE,
    ...(f['fair-weight'] !== undefined ? { fairShareWeight: number('fair-weight', f['fair-weight'], 0) } : {}),
    ...(f['age-weight'] !== undefined ? { ageWeightPerHour: number('age-weight', f['age-weight'], 0) } : {}),
    ...(f['half-life-days'] !== undefined ? { halfLifeSeconds: number('half-life-days', f['half-life-days'], 0.001)! * 86400 } : {}),
    ...(f['starvation-hours'] !== undefined ? { starvationHours: number('starvation-hours', f['starvation-hours'], 0) } : {}),
    ...(f['oldest-leads-hours'] !== undefined ? { oldestLeadsAfterHours: number('oldest-leads-hours', f['oldest-leads-hours'], 0) } : {}),
  } : undefined;
  const estimateEvery = number('estimate-every', f['estimate-every'], 0) ?? ESTIMATE_EVERY_SECONDS;
  const limit = number('limit', f.limit, 1);
  const interval = number('allocation-interval-ms', f['allocation-interval-ms'], 1);
  return {
    noEstimate,
    compare: {
      baselines,
      ...(limit !== undefined ? { limit: Math.floor(limit) } : {}),
      ...(fairShare ? { fairShare } : {}),
      mesos: {
        policyConfig,
        ...(estimateEvery > 0 ? { estimates: { everySeconds: estimateEvery, depth: ESTIMATE_DEPTH } } : {}),
        ...(interval !== undefined ? { allocationIntervalMs: interval } : {}),
        ...(serialLoad ? { serial: { load: serialLoad, meanRunSeconds: number('serial-mean-seconds', f['serial-mean-seconds'], 1) ?? 300, seed: number('seed', f.seed, 0) ?? 1 } } : {}),
      },
    },
  };
}

function spareRule(text: string): 'head-placement' | 'head-fits' | 'by-agent-shape' {
  if (text !== 'head-placement' && text !== 'head-fits' && text !== 'by-agent-shape') throw new SimInputError(`--spare-rule must be by-agent-shape, head-placement or head-fits, got "${text}"`);
  return text;
}

function backfillOrder(text: string): 'queue' | 'shortest-first' {
  if (text !== 'queue' && text !== 'shortest-first') throw new SimInputError(`--backfill-order must be queue or shortest-first, got "${text}"`);
  return text;
}
