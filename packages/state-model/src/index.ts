export * from './states';
export * from './transition-rules';
export * from './mapping';
