import {
  ComponentType, ComputationalResourceSchedulingModel, DataType, enumName, ExperimentModel, ExperimentType, HandlerType, InputDataObjectType, isEnumValue,
  OutputDataObjectType, ProcessModel, UserConfigurationDataModel, WorkflowApplication,
} from '@msched/airavata-thrift';
import { basename, normalize } from 'node:path';
import { AppSpec, FAILURE_POLICIES, FailurePolicy, OutputKind, WorkflowSpec } from '@msched/workflow';

/** The experiment input that chooses the failure policy of a WORKFLOW experiment (docs/workflows.md). */
export const FAILURE_POLICY_INPUT = 'msched.failurePolicy';
export const DEFAULT_FAILURE_POLICY: FailurePolicy = 'FAIL_FAST';

export function isWorkflowExperiment(e: ExperimentModel | null | undefined): boolean {
  return e?.experimentType === ExperimentType.WORKFLOW;
}

/** The ProcessModel a WorkflowApplication names (WorkflowApplication.processId = ProcessModel.processId). */
export function processOf(e: ExperimentModel, app: WorkflowApplication): ProcessModel | undefined {
  return (e.processes ?? []).find((p) => p && p.processId === app.processId) ?? undefined;
}

function positive(v: number | null | undefined): number | undefined {
  return typeof v === 'number' && v > 0 ? v : undefined;
}

/**
 * An application's resource request: its own fields (WorkflowApplication 4-9) where given, else the
 * experiment's computationalResourceScheduling. coreCount is the application's total cores
 * (ComputationalResourceSchedulingModel.totalCPUCount).
 */
export function applicationSchedule(e: ExperimentModel, app: WorkflowApplication): ComputationalResourceSchedulingModel {
  const d = e.userConfigurationData?.computationalResourceScheduling;
  return new ComputationalResourceSchedulingModel({
    resourceHostId: app.computeResourceId || d?.resourceHostId || undefined,
    queueName: app.queueName || d?.queueName || undefined,
    nodeCount: positive(app.nodeCount) ?? positive(d?.nodeCount),
    totalCPUCount: positive(app.coreCount) ?? positive(d?.totalCPUCount),
    wallTimeLimit: positive(app.wallTimeLimit) ?? positive(d?.wallTimeLimit),
    totalPhysicalMemory: positive(app.physicalMemory) ?? positive(d?.totalPhysicalMemory),
    numberOfThreads: d?.numberOfThreads ?? undefined,
  });
}

/** The inputs of `appId` that a connection feeds (their values come at run time). */
export function fedInputs(e: ExperimentModel, appId: string): Set<string> {
  return new Set((e.workflow?.connections ?? []).filter((c) => c && c.toType === ComponentType.APPLICATION && c.toId === appId).map((c) => c.toInputName));
}

/**
 * One application seen as the single-application experiment it runs as, so the launch rules of
 * single experiments (application, resource, cpus, wall time, memory, queue, inputs, outputs)
 * check it unchanged. Inputs fed by a connection are not required to have a value yet.
 */
export function applicationAsExperiment(e: ExperimentModel, app: WorkflowApplication): ExperimentModel {
  const pm = processOf(e, app);
  const fed = fedInputs(e, app.id);
  return new ExperimentModel({
    experimentId: e.experimentId, projectId: e.projectId, gatewayId: e.gatewayId, experimentType: ExperimentType.SINGLE_APPLICATION,
    userName: e.userName, experimentName: e.experimentName,
    executionId: app.applicationInterfaceId || pm?.applicationInterfaceId || undefined,
    userConfigurationData: new UserConfigurationDataModel({
      airavataAutoSchedule: false, overrideManualScheduledParams: false, computationalResourceScheduling: applicationSchedule(e, app),
      experimentDataDir: e.userConfigurationData?.experimentDataDir ?? undefined,
    }),
    experimentInputs: (pm?.processInputs ?? []).map((i) => (i && fed.has(i.name) ? new InputDataObjectType({ ...i, isRequired: false }) : i)),
    experimentOutputs: pm?.processOutputs ?? [],
  });
}

/** How an output reaches a successor: the file a URI output names (by its file name), a stream, or a value. */
function outputKind(o: OutputDataObjectType): OutputKind {
  if (o.type === DataType.STDOUT || o.type === DataType.STDERR) return { kind: 'stream' };
  if (o.type === DataType.URI && o.value) return { kind: 'file', fileName: basename(normalize(o.value)) };
  return { kind: 'value' };
}

/** The DAG the pure workflow logic works on, from the wire structs (unknown enum values become their number in words). */
export function workflowSpec(e: ExperimentModel): WorkflowSpec {
  const w = e.workflow;
  const kind = (v: unknown) => (isEnumValue(ComponentType, v) ? enumName(ComponentType, v) : String(v)) as 'APPLICATION' | 'HANDLER';
  const applications: AppSpec[] = (w?.applications ?? []).filter(Boolean).map((a) => {
    const pm = processOf(e, a);
    const s = applicationSchedule(e, a);
    return {
      id: a.id, ...(a.processId ? { processId: a.processId } : {}),
      inputs: (pm?.processInputs ?? []).map((i) => i?.name).filter((n): n is string => !!n),
      outputs: (pm?.processOutputs ?? []).map((o) => o?.name).filter((n): n is string => !!n),
      outputKinds: Object.fromEntries((pm?.processOutputs ?? []).filter((o) => o?.name).map((o) => [o.name, outputKind(o)])),
      schedule: {
        queueName: s.queueName ?? undefined, nodeCount: s.nodeCount ?? undefined, coreCount: s.totalCPUCount ?? undefined, wallTimeLimit: s.wallTimeLimit ?? undefined,
      },
    };
  });
  return {
    applications,
    handlers: (w?.handlers ?? []).filter(Boolean).map((h) => ({
      id: h.id, type: (isEnumValue(HandlerType, h.type) ? enumName(HandlerType, h.type) : String(h.type)) as 'FLOW_STARTER' | 'FLOW_TERMINATOR',
      inputs: (h.inputs ?? []).map((i) => i?.name).filter((n): n is string => !!n),
      outputs: (h.outputs ?? []).map((o) => o?.name).filter((n): n is string => !!n),
    })),
    connections: (w?.connections ?? []).filter(Boolean).map((c) => ({
      id: c.id ?? '', fromType: kind(c.fromType), fromId: c.fromId, fromOutputName: c.fromOutputName, toType: kind(c.toType), toId: c.toId, toInputName: c.toInputName,
    })),
    processIds: (e.processes ?? []).map((p) => p?.processId).filter((p): p is string => !!p),
  };
}

/** The failure policy the experiment asks for (input msched.failurePolicy), or the problem with it. */
export function failurePolicyOf(e: ExperimentModel): { policy: FailurePolicy } | { problem: string } {
  const input = (e.experimentInputs ?? []).find((i) => i?.name === FAILURE_POLICY_INPUT);
  const v = input?.value?.trim();
  if (!v) return { policy: DEFAULT_FAILURE_POLICY };
  return (FAILURE_POLICIES as readonly string[]).includes(v)
    ? { policy: v as FailurePolicy }
    : { problem: `input "${FAILURE_POLICY_INPUT}" is "${v}"; it must be one of ${FAILURE_POLICIES.join(', ')}` };
}
