/**
 * @msched/mesos: a Mesos v1 scheduler client.
 *
 * - recordio/   byte-level RecordIO framing of the event stream
 * - protocol/   typed calls, events and messages, the JSON codec and pure call builders
 * - master/     master URLs and leader detection (ZooKeeper json.info_ nodes or a static address)
 * - scheduler/  SchedulerClient: subscription, heartbeat watchdog, reconnects, calls
 * - operator/   read-only operator endpoints (/master/state)
 */
export * from './errors';
export * from './recordio';
export * from './protocol';
export * from './http';
export * from './master';
export * from './scheduler';
export * from './operator';
