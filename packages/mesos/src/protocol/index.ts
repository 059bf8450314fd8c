export * from './messages';
export * from './task-status';
export * from './events';
export * from './calls';
export * from './call-builders';
export * from './resources';
export * from './codec';
