/**
 * The pure building blocks, for unit tests (`@msched/mesos-local/dist/internals`). Not the public
 * API: that is ./index.ts.
 */
export * from './protocol/recordio';
export * from './protocol/scheduler-calls';
export * from './protocol/task-states';
export * from './protocol/status-uuid';
export * from './protocol/master-info';
export * from './protocol/zk-url';
export * from './protocol/media-types';
export * from './protocol/events';
export * from './resources/ranges';
export * as bag from './resources/bag';
export * from './resources/attributes';
export * from './resources/v0';
export * from './allocator/allocate';
export * from './allocator/decline-filters';
export * from './master/accept-plan';
export * from './master/reconcile';
export * from './master/framework-roles';
export { AgentLifecycle } from './master/agent-lifecycle';
export type { AgentLifecycleContext } from './master/agent-lifecycle';
export { AgentBook } from './master/agent-book';
export { FrameworkBook } from './master/framework-book';
export { TaskBook } from './master/task-book';
export { OfferBook } from './master/offer-book';
export { UpdateFaults } from './master/update-faults';
export * from './agent/task-update-stream';
export { updateRetryPolicy } from './agent/status-update-manager';
export * from './agent/command-line';
export * from './agent/task-environment';
export * from './agent/sandbox';
export { archiveKind, fetchedName } from './agent/fetcher';
export { FetcherCache } from './agent/fetcher/fetcher-cache';
export { containerRefusal } from './agent/container-support';
export * from './zk/leader-watch';
export * from './cluster/agent-specs';
export * from './cli-args';
export { MasterSession } from './agent/master-session';
export { MasterLink } from './agent/master-link';
