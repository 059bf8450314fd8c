export * from './master-url';
export * from './master-info';
export * from './leader-node';
export * from './leader-detector';
export * from './zk-leader-detector';
export * from './detect-leader';
