import type { LaunchAccepted } from '@msched/model';

/**
 * The launch message as the provisioner reads it (LaunchAccepted in @msched/model, written by the
 * API; docs/api.md). Checked once here, at the edge; the stages get typed values. Field names are
 * keys of LaunchAccepted, so renaming one there fails to compile here.
 */
type LaunchKey = keyof LaunchAccepted;
export interface SchedulingView {
  totalCPUCount?: number;
  nodeCount?: number;
  numberOfThreads?: number;
  queueName?: string;
  wallTimeLimit?: number;
  totalPhysicalMemory?: number;
}

export interface InputView {
  name: string;
  value?: string;
  type?: number;
  applicationArgument?: string;
  standardInput?: boolean;
  inputOrder?: number;
  isRequired?: boolean;
  requiredToAddedToCommandLine?: boolean;
}

export interface OutputView {
  name: string;
  value?: string;
  type?: number;
}

/** The launch's ids as the API sent them, plus what the stages read from its models. */
export interface LaunchWork extends Pick<LaunchAccepted, 'experimentId' | 'processId' | 'jobId' | 'taskId' | 'attempt' | 'gatewayId' | 'userName'> {
  applicationInterfaceId?: string;
  applicationDeploymentId?: string;
  experimentDataDir?: string;
  scheduling: SchedulingView;
  inputs: InputView[];
  outputs: OutputView[];
}

export class MessageError extends Error {}

function str(o: Record<string, unknown>, k: string, required: true): string;
function str(o: Record<string, unknown>, k: string, required?: false): string | undefined;
function str(o: Record<string, unknown>, k: string, required = false): string | undefined {
  const v = o[k];
  if (v === undefined || v === null || v === '') {
    if (required) throw new MessageError(`launch message lacks ${k}`);
    return undefined;
  }
  if (typeof v !== 'string') throw new MessageError(`launch message field ${k} must be a string`);
  return v;
}

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function list(v: unknown, what: string): Array<Record<string, unknown>> {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new MessageError(`launch message ${what} must be a list`);
  return v.map(obj);
}

export function parseLaunch(payload: unknown): LaunchWork {
  const p = obj(payload) as Partial<Record<LaunchKey, unknown>>;
  const need = (k: LaunchKey): string => str(p, k, true);
  const experiment = obj(p.experiment);
  const proc = obj(p.process);
  const sched = obj(proc.processResourceSchedule ?? obj(experiment.userConfigurationData).computationalResourceScheduling);
  const inputs = list(proc.processInputs ?? experiment.experimentInputs, 'inputs').map((i) => ({
    name: String(i.name ?? ''), value: typeof i.value === 'string' ? i.value : undefined, type: typeof i.type === 'number' ? i.type : undefined,
    applicationArgument: typeof i.applicationArgument === 'string' ? i.applicationArgument : undefined, standardInput: i.standardInput === true,
    inputOrder: typeof i.inputOrder === 'number' ? i.inputOrder : undefined, isRequired: i.isRequired === true,
    requiredToAddedToCommandLine: i.requiredToAddedToCommandLine === true,
  }));
  const outputs = list(proc.processOutputs ?? experiment.experimentOutputs, 'outputs').map((o) => ({
    name: String(o.name ?? ''), value: typeof o.value === 'string' ? o.value : undefined, type: typeof o.type === 'number' ? o.type : undefined,
  }));
  const num = (k: string) => (typeof sched[k] === 'number' ? (sched[k] as number) : undefined);
  const attempt = typeof p.attempt === 'number' ? p.attempt : 1;
  return {
    experimentId: need('experimentId'), processId: need('processId'), jobId: need('jobId'),
    taskId: need('taskId'), attempt, gatewayId: need('gatewayId'), userName: str(p, 'userName' satisfies LaunchKey) ?? 'unknown',
    applicationInterfaceId: str(proc, 'applicationInterfaceId') ?? str(experiment, 'executionId'),
    applicationDeploymentId: str(proc, 'applicationDeploymentId'),
    experimentDataDir: str(proc, 'experimentDataDir') ?? str(obj(experiment.userConfigurationData), 'experimentDataDir'),
    scheduling: {
      totalCPUCount: num('totalCPUCount'), nodeCount: num('nodeCount'), numberOfThreads: num('numberOfThreads'),
      queueName: typeof sched.queueName === 'string' ? sched.queueName : undefined, wallTimeLimit: num('wallTimeLimit'),
      totalPhysicalMemory: num('totalPhysicalMemory'),
    },
    inputs,
    outputs,
  };
}
