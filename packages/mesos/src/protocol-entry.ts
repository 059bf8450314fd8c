/**
 * `@msched/mesos/protocol`: the Mesos v1 protocol as pure values and types (messages, task states,
 * events, calls and their builders, the JSON codec, RecordIO framing, the /master/state shape). It
 * loads no HTTP, ZooKeeper or scheduler client, so pure code (@msched/gang) imports from here and
 * stays free of anything that opens a socket. The package's main entry re-exports all of it.
 */
export * from './errors';
export * from './recordio';
export * from './protocol';
export * from './operator/cluster-state';
