export * from './cluster-state';
export * from './fetch-cluster-state';
export * from './task-sandboxes';
export * from './agent-sandboxes';
export * from './fetch-task-sandboxes';
