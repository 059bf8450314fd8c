/**
 * A workflow as the DAG logic sees it: plain data derived from Airavata's AiravataWorkflow (ids,
 * edges) and from the ProcessModel each application names (its input and output names). No Thrift
 * classes here, so the same values come from the wire, from the job database or from a test.
 */
export type ComponentKind = 'APPLICATION' | 'HANDLER';
export type HandlerKind = 'FLOW_STARTER' | 'FLOW_TERMINATOR';

/** The scheduling fields Airavata's WorkflowApplication carries (6-9), after defaults were applied. */
export interface AppSchedule {
  readonly queueName?: string;
  readonly nodeCount?: number;
  readonly coreCount?: number;
  readonly wallTimeLimit?: number;
}

export interface AppSpec {
  readonly id: string;
  /** WorkflowApplication.processId: the ProcessModel (ExperimentModel.processes) describing the step. */
  readonly processId?: string;
  /** Input and output names of that ProcessModel (processInputs / processOutputs). */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly schedule: AppSchedule;
  /**
   * How each output leaves the application, when known: a file (a URI output, collected under its
   * file name), a stream (STDOUT/STDERR) or a plain value. A successor's input gets the file.
   */
  readonly outputKinds?: Readonly<Record<string, OutputKind>>;
}

export type OutputKind = { readonly kind: 'file'; readonly fileName: string } | { readonly kind: 'stream' } | { readonly kind: 'value' };

export interface HandlerSpec {
  readonly id: string;
  readonly type: HandlerKind;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface ConnectionSpec {
  readonly id: string;
  readonly fromType: ComponentKind;
  readonly fromId: string;
  readonly fromOutputName: string;
  readonly toType: ComponentKind;
  readonly toId: string;
  readonly toInputName: string;
}

export interface WorkflowSpec {
  readonly applications: readonly AppSpec[];
  readonly handlers: readonly HandlerSpec[];
  readonly connections: readonly ConnectionSpec[];
  /** processIds of the ProcessModels the experiment carried, to check that applications name real ones. */
  readonly processIds?: readonly string[];
}

/** What happens to the rest of the workflow when an application fails (after its own retries). */
export type FailurePolicy = 'FAIL_FAST' | 'FINISH_INDEPENDENT';
export const FAILURE_POLICIES: readonly FailurePolicy[] = ['FAIL_FAST', 'FINISH_INDEPENDENT'];

/** Airavata's ApplicationState / HandlerState names (workflow_model.thrift), in wire order. */
export const APPLICATION_STATES = ['CREATED', 'VALIDATED', 'SCHEDULED', 'LAUNCHED', 'EXECUTING', 'CANCELING', 'CANCELED', 'COMPLETED', 'FAILED'] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];
export const HANDLER_STATES = APPLICATION_STATES;
export type HandlerState = ApplicationState;
/** Airavata's WorkflowExecutionState names (the workflow's states), in wire order. */
export const WORKFLOW_STATES = ['CREATED', 'VALIDATED', 'SCHEDULED', 'LAUNCHED', 'EXECUTING', 'PAUSING', 'PAUSED', 'RESTARTING', 'CANCELING', 'CANCELED', 'COMPLETED', 'FAILED'] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];

export const APPLICATION_TERMINAL: ReadonlySet<ApplicationState> = new Set(['CANCELED', 'COMPLETED', 'FAILED']);
/** States of an application that holds (or is about to hold) a job. */
export const APPLICATION_ACTIVE: ReadonlySet<ApplicationState> = new Set(['SCHEDULED', 'LAUNCHED', 'EXECUTING', 'CANCELING']);
