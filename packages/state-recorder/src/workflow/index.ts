export * from './store';
export * from './node-state';
export * from './staging';
