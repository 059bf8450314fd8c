export * from './topics';
export * from './kafka';
export * from './envelope';
export * from './consumer';
export * from './consumer-lag';
