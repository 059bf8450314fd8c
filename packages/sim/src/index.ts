/**
 * @msched/sim: replays Parallel Workloads Archive traces (SWF) through the dispatcher's gang policy
 * on a simulated Mesos master, and through reference schedulers (FCFS, EASY, conservative
 * backfilling) on the same cluster, and compares them.
 */
export * from './errors';
export * from './swf/parse-swf';
export * from './swf/read-swf';
export * from './cluster/cluster-shape';
export * from './engine/event-queue';
export * from './engine/outcome';
export * from './baselines/pool-sim';
export * from './baselines/fcfs';
export * from './baselines/easy';
export * from './baselines/conservative';
export * from './baselines/multifactor';
export * from './tenants/trace-tenants';
export * from './metrics/estimate-accuracy';
export * from './mesos/sim-master';
export * from './mesos/offer-scheduler';
export * from './mesos/serial-framework';
export * from './mesos/run-mesos';
export * from './metrics/metrics';
export * from './report/compare';
export * from './options';
