export * from './metrics';
export * from './health-server';
export * from './startup';
export * from './on-scrape';
