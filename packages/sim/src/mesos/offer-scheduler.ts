import { OfferPolicy, type OfferPolicyConfig, type PolicyDecision, type PolicyEvent } from '@msched/gang';

/**
 * What the simulator drives: the dispatcher's offer policy, or any other policy with the same
 * contract (events in, decisions out, time passed in). Its order (fifo, fair share) is a config knob.
 */
export interface OfferScheduler {
  handle(events: PolicyEvent | readonly PolicyEvent[], now: number): PolicyDecision[];
  /** Offers the policy holds right now (the simulator schedules a tick for their hold limit). */
  readonly heldOffers: number;
  /** Expected start (epoch ms; undefined: none) of the first `limit` waiting gangs, in waiting order. */
  expectedStarts?(now: number, limit?: number): ReadonlyMap<string, number | undefined>;
}

export type OfferSchedulerFactory = (config: OfferPolicyConfig) => OfferScheduler;

/** The dispatcher's own policy (packages/gang), exactly as services/dispatcher builds it. */
export const dispatcherPolicy: OfferSchedulerFactory = (config) => new OfferPolicy(config);

/** The dispatcher's defaults (packages/config, MSCHED_DISPATCHER_*) for the policy's knobs. */
export const DISPATCHER_DEFAULTS = {
  holdSeconds: 30,
  declineRefuseSeconds: 10,
  idleRefuseSeconds: 300,
  reservationAgingSeconds: 600,
  acceptRefuseSeconds: 1,
} as const;
