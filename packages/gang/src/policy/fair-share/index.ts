export * from './tenant';
export * from './usage-ledger';
export * from './fair-share-factor';
export * from './priority';
