/**
 * Airavata's status routing keys (MessagingFactory.statusRoutingkey): the ids from the gateway down
 * to the entity, joined by dots. Consumers bind by depth: `*.*` experiments, `*.*.*` processes (the
 * orchestrator), `*.*.*.*` tasks and task outputs, `*.*.*.*.*` jobs, `#` everything.
 */
export type RoutedType = 'EXPERIMENT' | 'PROCESS' | 'TASK' | 'PROCESSOUTPUT' | 'JOB';

export interface RoutingIds {
  readonly gatewayId: string;
  readonly experimentId: string;
  readonly processId?: string;
  readonly taskId?: string;
  readonly jobId?: string;
}

const DEPTH: Record<RoutedType, ReadonlyArray<keyof RoutingIds>> = {
  EXPERIMENT: ['gatewayId', 'experimentId'],
  PROCESS: ['gatewayId', 'experimentId', 'processId'],
  TASK: ['gatewayId', 'experimentId', 'processId', 'taskId'],
  PROCESSOUTPUT: ['gatewayId', 'experimentId', 'processId', 'taskId'],
  JOB: ['gatewayId', 'experimentId', 'processId', 'taskId', 'jobId'],
};

export function routingKey(type: RoutedType, ids: RoutingIds): string {
  return DEPTH[type].map((k) => {
    const v = ids[k];
    if (!v) throw new RangeError(`a ${type} routing key needs ${k}`);
    return v;
  }).join('.');
}
