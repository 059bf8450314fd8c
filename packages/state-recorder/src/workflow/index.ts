export * from './store';
export * from './node-state';
export * from './staging';
export * from './advance';
export * from './on-process';
export * from './terminate';
