import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How often the event-loop lag is sampled (prom-client's default is 10 ms). */
export const EVENT_LOOP_SAMPLE_MS = 500;

/**
 * The metrics every service exposes. One registry per process; each service only moves the ones
 * that concern it, the rest stay at zero.
 */
export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  // The event-loop lag monitor samples every 10 ms by default: about 0.5 % of a core per idle
  // service on its own (bench:pipeline's idle figure). Twice a second is plenty for a scrape.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  return {
    registry,
    launches: new Counter({ name: 'msched_launches_total', help: 'Launch requests by outcome (accepted, duplicate, rejected, error).', labelNames: ['outcome'], registers: [registry] }),
    stageQueueDepth: new Gauge({ name: 'msched_stage_queue_depth', help: 'Provisioning stage runs waiting (pending or waiting to retry), per stage.', labelNames: ['stage'], registers: [registry] }),
    stageRuns: new Counter({ name: 'msched_stage_runs_total', help: 'Provisioning stage executions by stage and outcome.', labelNames: ['stage', 'outcome'], registers: [registry] }),
    gangWaitSeconds: new Histogram({ name: 'msched_gang_wait_seconds', help: 'Time from a gang entering the queue to its launch.', buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600], registers: [registry] }),
    placementSeconds: new Histogram({ name: 'msched_placement_seconds', help: 'Time to compute one gang placement.', buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1], registers: [registry] }),
    taskStates: new Counter({ name: 'msched_task_updates_total', help: 'Mesos task status updates received, by state.', labelNames: ['state'], registers: [registry] }),
    gangsWaiting: new Gauge({ name: 'msched_gangs_waiting', help: 'Gangs waiting for offers.', registers: [registry] }),
    gangsRunning: new Gauge({ name: 'msched_gangs_running', help: 'Gangs running.', registers: [registry] }),
    consumerLag: new Gauge({ name: 'msched_consumer_lag', help: 'Kafka consumer lag (messages) per topic and partition.', labelNames: ['topic', 'partition'], registers: [registry] }),
    outboxPending: new Gauge({ name: 'msched_outbox_pending', help: 'Outbox rows not yet published.', registers: [registry] }),
    isLeader: new Gauge({ name: 'msched_leader', help: '1 when this replica leads (dispatcher), else 0.', registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
