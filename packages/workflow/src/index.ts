export * from './spec';
export * from './validate';
export * from './decide';
export * from './draw';
