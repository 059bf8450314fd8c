export * from './spec';
export * from './validate';
export * from './decide';
export * from './draw';
export * from './process-states';
