export * from './types';
export * from './slots';
export * from './place-gang';
export * from './fits-cluster';
export type { AgentFilter, FilterContext } from './filters/agent-filter';
