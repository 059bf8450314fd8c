export * from './types';
export * from './offer-policy';
export * from './backfill';
export * from './reservation-estimate';
export * from './held-offers';
export * from './fair-share';
export * from './resource-timeline';
export * from './start-estimate';
