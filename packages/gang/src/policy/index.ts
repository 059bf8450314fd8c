export * from './types';
export * from './offer-policy';
export * from './backfill';
export * from './reservation-estimate';
export * from './held-offers';
