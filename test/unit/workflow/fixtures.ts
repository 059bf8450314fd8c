import type { AppSpec, ConnectionSpec, WorkflowSpec } from '@msched/workflow';

export function app(id: string, over: Partial<AppSpec> = {}): AppSpec {
  return { id, processId: `P_${id}`, inputs: ['in'], outputs: ['out'], schedule: { queueName: 'normal', coreCount: 1, wallTimeLimit: 5 }, ...over };
}

export function edge(from: string, to: string, id = `${from}->${to}`): ConnectionSpec {
  return { id, fromType: 'APPLICATION', fromId: from, fromOutputName: 'out', toType: 'APPLICATION', toId: to, toInputName: 'in' };
}

/** start -> a -> {b, c} -> d -> end: the diamond. */
export function diamond(): WorkflowSpec {
  const d = app('d', { inputs: ['left', 'right'] });
  return {
    applications: [app('a'), app('b'), app('c'), d],
    handlers: [
      { id: 'start', type: 'FLOW_STARTER', inputs: [], outputs: ['seed'] },
      { id: 'end', type: 'FLOW_TERMINATOR', inputs: ['result'], outputs: [] },
    ],
    connections: [
      { id: 'c0', fromType: 'HANDLER', fromId: 'start', fromOutputName: 'seed', toType: 'APPLICATION', toId: 'a', toInputName: 'in' },
      edge('a', 'b'), edge('a', 'c'),
      { ...edge('b', 'd'), toInputName: 'left' }, { ...edge('c', 'd'), toInputName: 'right' },
      { id: 'c9', fromType: 'APPLICATION', fromId: 'd', fromOutputName: 'out', toType: 'HANDLER', toId: 'end', toInputName: 'result' },
    ],
    processIds: ['P_a', 'P_b', 'P_c', 'P_d'],
  };
}
