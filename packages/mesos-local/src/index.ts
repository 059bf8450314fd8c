/**
 * @msched/mesos-local: a local Mesos-compatible cluster for development, tests, the demo and fault
 * injection. A master speaking the real v1 scheduler protocol over HTTP, agents running tasks as
 * real processes, ZooKeeper leader election. Nothing here may be imported by the dispatcher: the
 * two meet only over HTTP and ZooKeeper.
 */
export { startLocalCluster } from './cluster/local-cluster';
export type { LocalCluster, LocalClusterOptions, AgentHandle } from './cluster/local-cluster';
export type { AgentSpec } from './cluster/agent-specs';
export { LocalMaster } from './master/local-master';
export { authenticateFramework, parseCredentialsJson } from './master/http/framework-auth';
export type { FrameworkCredentials } from './master/http/framework-auth';
export type { MasterOptions } from './master/local-master';
export { DEFAULT_TIMING } from './master/master';
export type { MasterTiming } from './master/master';
export { UpdateFaults } from './master/update-faults';
export { LocalAgent } from './agent/agent';
export type { AgentOptions } from './agent/agent';
export type { FetcherCounters } from './agent/fetcher/fetcher-cache';
export { nodeFreeEnvironment } from './cluster/node-free-env';
export { StaticDetector, ZkDetector } from './zk/master-detector';
export type { MasterDetector, MasterAddress } from './zk/master-detector';
export { parseZkUrl } from './protocol/zk-url';
export { encodeRecord, RecordIoDecoder, RecordIoError } from './protocol/recordio';
export type * from './protocol/mesos-types';
