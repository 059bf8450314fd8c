export * from './record-reason';
export * from './record-transition';
export * from './transition-request';
export * from './workflow';
export * from './workflow-steps';
