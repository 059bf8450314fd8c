import type {
  AcceptCall, AcknowledgeCall, DeclineCall, KillCall, LaunchGroupOperation, LaunchOperation, OfferOperation,
  ReconcileCall, ReviveCall, SubscribeCall, SuppressCall, TeardownCall,
} from './calls';
import type { ExecutorInfo, Filters, FrameworkInfo, Id, TaskInfo } from './messages';

/**
 * Pure builders of the calls the dispatcher sends, byte-for-byte what a real master expects
 * (mesos-v1.md). Ids are plain strings here and wrapped as `{value}` on the way out.
 */
const id = (value: string): Id => ({ value });

export interface FrameworkSettings {
  readonly user: string;
  readonly name: string;
  readonly roles: readonly string[];
  /** Seconds; a long one (a week) keeps tasks alive while the dispatchers fail over. */
  readonly failoverTimeoutSeconds: number;
  readonly frameworkId?: string;
  readonly principal?: string;
  readonly hostname?: string;
  readonly webuiUrl?: string;
}

/** Our FrameworkInfo: checkpointing on, MULTI_ROLE, PARTITION_AWARE and TASK_KILLING_STATE. */
export function frameworkInfo(s: FrameworkSettings): FrameworkInfo {
  if (s.roles.length === 0) throw new RangeError('a framework needs at least one role');
  return {
    user: s.user,
    name: s.name,
    ...(s.frameworkId ? { id: id(s.frameworkId) } : {}),
    failover_timeout: s.failoverTimeoutSeconds,
    checkpoint: true,
    roles: [...s.roles],
    ...(s.principal ? { principal: s.principal } : {}),
    ...(s.hostname ? { hostname: s.hostname } : {}),
    ...(s.webuiUrl ? { webui_url: s.webuiUrl } : {}),
    capabilities: [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }, { type: 'TASK_KILLING_STATE' }],
  };
}

/**
 * SUBSCRIBE. On first registration both ids are absent; on re-subscription both must be present and
 * equal, so the top-level framework_id is derived from framework_info.id rather than passed twice.
 */
export function subscribeCall(info: FrameworkInfo, suppressedRoles: readonly string[] = []): SubscribeCall {
  return {
    type: 'SUBSCRIBE',
    ...(info.id ? { framework_id: info.id } : {}),
    subscribe: { framework_info: info, ...(suppressedRoles.length ? { suppressed_roles: [...suppressedRoles] } : {}) },
  };
}

export function launchOperation(tasks: readonly TaskInfo[]): LaunchOperation {
  return { type: 'LAUNCH', launch: { task_infos: [...tasks] } };
}

export function launchGroupOperation(executor: ExecutorInfo, tasks: readonly TaskInfo[]): LaunchGroupOperation {
  if (executor.command) throw new RangeError('LAUNCH_GROUP needs an executor of type DEFAULT without a command');
  return { type: 'LAUNCH_GROUP', launch_group: { executor: { ...executor, type: 'DEFAULT' }, task_group: { tasks: [...tasks] } } };
}

const filters = (refuseSeconds: number | undefined): { filters?: Filters } =>
  refuseSeconds === undefined ? {} : { filters: { refuse_seconds: refuseSeconds } };

/** ACCEPT: every offer must come from the same agent (Mesos allows no cross-agent accept). */
export function acceptCall(frameworkId: string, offerIds: readonly string[], operations: readonly OfferOperation[], refuseSeconds?: number): AcceptCall {
  if (offerIds.length === 0) throw new RangeError('ACCEPT needs at least one offer');
  return { type: 'ACCEPT', framework_id: id(frameworkId), accept: { offer_ids: offerIds.map(id), operations: [...operations], ...filters(refuseSeconds) } };
}

export function declineCall(frameworkId: string, offerIds: readonly string[], refuseSeconds?: number): DeclineCall {
  return { type: 'DECLINE', framework_id: id(frameworkId), decline: { offer_ids: offerIds.map(id), ...filters(refuseSeconds) } };
}

export function reviveCall(frameworkId: string, roles: readonly string[] = []): ReviveCall {
  return { type: 'REVIVE', framework_id: id(frameworkId), ...(roles.length ? { revive: { roles: [...roles] } } : {}) };
}

export function suppressCall(frameworkId: string, roles: readonly string[] = []): SuppressCall {
  return { type: 'SUPPRESS', framework_id: id(frameworkId), ...(roles.length ? { suppress: { roles: [...roles] } } : {}) };
}

export function killCall(frameworkId: string, taskId: string, agentId?: string): KillCall {
  return { type: 'KILL', framework_id: id(frameworkId), kill: { task_id: id(taskId), ...(agentId ? { agent_id: id(agentId) } : {}) } };
}

export interface AcknowledgeTarget {
  readonly agentId: string;
  readonly taskId: string;
  /** Base64, exactly as received in the update. */
  readonly uuid: string;
}

export function acknowledgeCall(frameworkId: string, t: AcknowledgeTarget): AcknowledgeCall {
  if (!t.uuid) throw new RangeError(`update of task ${t.taskId} carries no uuid and must not be acknowledged`);
  return { type: 'ACKNOWLEDGE', framework_id: id(frameworkId), acknowledge: { agent_id: id(t.agentId), task_id: id(t.taskId), uuid: t.uuid } };
}

export interface ReconcileTarget {
  readonly taskId: string;
  readonly agentId?: string;
}

/** Explicit reconciliation of the given tasks; an empty list asks implicitly for every task. */
export function reconcileCall(frameworkId: string, tasks: readonly ReconcileTarget[] = []): ReconcileCall {
  return {
    type: 'RECONCILE',
    framework_id: id(frameworkId),
    reconcile: { tasks: tasks.map((t) => ({ task_id: id(t.taskId), ...(t.agentId ? { agent_id: id(t.agentId) } : {}) })) },
  };
}

export function teardownCall(frameworkId: string): TeardownCall {
  return { type: 'TEARDOWN', framework_id: id(frameworkId) };
}
