import type { FairShareConfig } from '../types';

/**
 * Defaults for experiments and the simulator (the dispatcher reads its own from configuration),
 * chosen on the traces (docs/scheduling.md): a week's half-life as Slurm's; a tenant with no usage
 * is worth 1,000 points and every hour waited adds 30, so a gang of the heaviest user overtakes
 * one of an idle user after at most 33 hours more of waiting; gangs waiting 8 hours lead anyway
 * (oldest first), and the oldest leads after 4: with both, no trace's longest wait passes EASY's
 * (issue 23, round 4).
 */
export const DEFAULT_FAIR_SHARE: FairShareConfig = Object.freeze({
  halfLifeSeconds: 7 * 24 * 3600,
  gatewayShares: Object.freeze({}),
  fairShareWeight: 1000,
  ageWeightPerHour: 30,
  starvationHours: 8,
  oldestLeadsAfterHours: 4,
});

const HOUR_MS = 3_600_000;

/** priority = fairShareWeight × factor + ageWeightPerHour × hours waited (unbounded: no starvation). */
export function gangPriority(config: FairShareConfig, factor: number, queuedAt: number, now: number): number {
  return config.fairShareWeight * factor + config.ageWeightPerHour * Math.max(0, now - queuedAt) / HOUR_MS;
}

/**
 * A sort key equal to the priority minus a term common to every gang at any one instant
 * (ageWeightPerHour × now in hours): the order it gives does not change as time passes, only when
 * the factors do, so the queue need not be re-sorted on every tick.
 */
export function priorityKey(config: FairShareConfig, factor: number, queuedAt: number): number {
  return config.fairShareWeight * factor - config.ageWeightPerHour * queuedAt / HOUR_MS;
}
