export * from './cluster-state';
export * from './fetch-cluster-state';
