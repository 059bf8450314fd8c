import { randomUUID } from 'node:crypto';
import {
  AiravataWorkflow, ComponentType, ComputationalResourceSchedulingModel, DataType, ExperimentModel, ExperimentType, HandlerType,
  InputDataObjectType, OutputDataObjectType, ProcessModel, UserConfigurationDataModel, WorkflowApplication, WorkflowConnection, WorkflowHandler,
} from './generated';

/** One application of a workflow built by `workflowExperiment`. */
export interface WorkflowStep {
  id: string;
  /** Application interface id (the catalogue's application). */
  application: string;
  coreCount?: number;
  nodeCount?: number;
  wallTimeLimit?: number;
  physicalMemory?: number;
  queueName?: string;
  inputs?: InputDataObjectType[];
  outputs?: OutputDataObjectType[];
}

export interface WorkflowExperimentOptions {
  experimentId?: string;
  gatewayId?: string;
  userName?: string;
  steps: WorkflowStep[];
  /** [from, output, to, input]; from "start" is the FLOW_STARTER handler, to "end" the FLOW_TERMINATOR. */
  edges: Array<[string, string, string, string]>;
  /** Values the FLOW_STARTER supplies (its outputs). */
  starter?: OutputDataObjectType[];
  /** FAIL_FAST (default) or FINISH_INDEPENDENT, sent as the input msched.failurePolicy. */
  failurePolicy?: string;
}

/**
 * A WORKFLOW experiment as a gateway would send it: ExperimentModel field 20 holds the DAG, and
 * each WorkflowApplication names (processId) the ProcessModel that declares its inputs and outputs.
 */
export function workflowExperiment(o: WorkflowExperimentOptions): ExperimentModel {
  const experimentId = o.experimentId ?? `Wf_${randomUUID()}`;
  const processId = (step: string) => `${experimentId}.${step}`;
  const terminatorInputs = o.edges.filter((e) => e[2] === 'end').map((e) => new InputDataObjectType({ name: e[3], type: DataType.URI }));
  const kind = (id: string) => (id === 'start' || id === 'end' ? ComponentType.HANDLER : ComponentType.APPLICATION);
  return new ExperimentModel({
    experimentId, projectId: 'default-project', gatewayId: o.gatewayId ?? 'test-gateway', experimentType: ExperimentType.WORKFLOW,
    userName: o.userName ?? 'alice', experimentName: `workflow ${experimentId}`,
    userConfigurationData: new UserConfigurationDataModel({
      airavataAutoSchedule: false, overrideManualScheduledParams: false,
      computationalResourceScheduling: new ComputationalResourceSchedulingModel({ resourceHostId: 'mesos-local', queueName: 'normal' }),
    }),
    experimentInputs: o.failurePolicy ? [new InputDataObjectType({ name: 'msched.failurePolicy', value: o.failurePolicy, type: DataType.STRING })] : [],
    processes: o.steps.map((s) => new ProcessModel({
      processId: processId(s.id), experimentId, applicationInterfaceId: s.application, processInputs: s.inputs ?? [], processOutputs: s.outputs ?? [],
    })),
    workflow: new AiravataWorkflow({
      id: `WF_${experimentId}`, experimentId, description: `${o.steps.length} applications`,
      applications: o.steps.map((s) => new WorkflowApplication({
        id: s.id, processId: processId(s.id), applicationInterfaceId: s.application, computeResourceId: 'mesos-local', queueName: s.queueName ?? 'normal',
        coreCount: s.coreCount ?? 1, ...(s.nodeCount ? { nodeCount: s.nodeCount } : (s.coreCount ?? 1) > 1 ? {} : { nodeCount: 1 }),
        wallTimeLimit: s.wallTimeLimit ?? 10, physicalMemory: s.physicalMemory ?? 256,
      })),
      handlers: [
        new WorkflowHandler({ id: 'start', type: HandlerType.FLOW_STARTER, outputs: o.starter ?? [] }),
        new WorkflowHandler({ id: 'end', type: HandlerType.FLOW_TERMINATOR, inputs: terminatorInputs }),
      ],
      connections: o.edges.map(([from, out, to, input], i) => new WorkflowConnection({
        id: `c${i + 1}`, fromType: kind(from), fromId: from, fromOutputName: out, toType: kind(to), toId: to, toInputName: input,
      })),
    }),
  });
}

/**
 * The three-step example of docs/workflows.md: a serial pre-processing step writes a mesh, a
 * 4-rank MPI solve on two nodes reads it and writes a result, a serial post-processing step reads
 * the result; the FLOW_TERMINATOR collects the post-processing report.
 */
export function exampleWorkflowExperiment(o: { experimentId?: string; gatewayId?: string; apps?: { pre: string; solve: string; post: string } } = {}): ExperimentModel {
  const apps = o.apps ?? { pre: 'prep', solve: 'solver', post: 'post' };
  return workflowExperiment({
    experimentId: o.experimentId, gatewayId: o.gatewayId,
    starter: [new OutputDataObjectType({ name: 'size', value: '64', type: DataType.INTEGER })],
    steps: [
      { id: 'pre', application: apps.pre, coreCount: 1,
        inputs: [new InputDataObjectType({ name: 'size', type: DataType.INTEGER, inputOrder: 1, isRequired: true, requiredToAddedToCommandLine: true })],
        outputs: [new OutputDataObjectType({ name: 'mesh', type: DataType.URI, value: 'mesh.txt' })] },
      { id: 'solve', application: apps.solve, coreCount: 4, nodeCount: 2,
        inputs: [new InputDataObjectType({ name: 'mesh', type: DataType.URI, inputOrder: 1, isRequired: true, requiredToAddedToCommandLine: true })],
        outputs: [new OutputDataObjectType({ name: 'result', type: DataType.URI, value: 'result.txt' })] },
      { id: 'post', application: apps.post, coreCount: 1,
        inputs: [new InputDataObjectType({ name: 'result', type: DataType.URI, inputOrder: 1, isRequired: true, requiredToAddedToCommandLine: true })],
        outputs: [new OutputDataObjectType({ name: 'report', type: DataType.STDOUT })] },
    ],
    edges: [['start', 'size', 'pre', 'size'], ['pre', 'mesh', 'solve', 'mesh'], ['solve', 'result', 'post', 'result'], ['post', 'report', 'end', 'report']],
  });
}
