import type { ExecutorInfo, Filters, FrameworkInfo, Id, KillPolicy, TaskInfo } from './messages';

/** Offer.Operation kinds we send. One ACCEPT may only use offers of one agent. */
export interface LaunchOperation {
  readonly type: 'LAUNCH';
  readonly launch: { readonly task_infos: readonly TaskInfo[] };
}

/** Atomic on one agent only; the executor must be of type DEFAULT and carry no command. */
export interface LaunchGroupOperation {
  readonly type: 'LAUNCH_GROUP';
  readonly launch_group: { readonly executor: ExecutorInfo; readonly task_group: { readonly tasks: readonly TaskInfo[] } };
}

export type OfferOperation = LaunchOperation | LaunchGroupOperation;

export interface SubscribeCall {
  readonly type: 'SUBSCRIBE';
  /** Set, and equal to framework_info.id, only when re-subscribing. */
  readonly framework_id?: Id;
  readonly subscribe: { readonly framework_info: FrameworkInfo; readonly suppressed_roles?: readonly string[] };
}

export interface TeardownCall {
  readonly type: 'TEARDOWN';
  readonly framework_id: Id;
}

export interface AcceptCall {
  readonly type: 'ACCEPT';
  readonly framework_id: Id;
  readonly accept: { readonly offer_ids: readonly Id[]; readonly operations: readonly OfferOperation[]; readonly filters?: Filters };
}

export interface DeclineCall {
  readonly type: 'DECLINE';
  readonly framework_id: Id;
  readonly decline: { readonly offer_ids: readonly Id[]; readonly filters?: Filters };
}

export interface ReviveCall {
  readonly type: 'REVIVE';
  readonly framework_id: Id;
  /** Errata: `roles` (a list), not `role`. Empty or absent means every role. */
  readonly revive?: { readonly roles: readonly string[] };
}

export interface SuppressCall {
  readonly type: 'SUPPRESS';
  readonly framework_id: Id;
  readonly suppress?: { readonly roles: readonly string[] };
}

export interface KillCall {
  readonly type: 'KILL';
  readonly framework_id: Id;
  readonly kill: { readonly task_id: Id; readonly agent_id?: Id; readonly kill_policy?: KillPolicy };
}

export interface AcknowledgeCall {
  readonly type: 'ACKNOWLEDGE';
  readonly framework_id: Id;
  readonly acknowledge: { readonly agent_id: Id; readonly task_id: Id; readonly uuid: string };
}

export interface ReconcileCall {
  readonly type: 'RECONCILE';
  readonly framework_id: Id;
  /** Empty list: implicit reconciliation (the master answers for every task it knows). */
  readonly reconcile: { readonly tasks: ReadonlyArray<{ readonly task_id: Id; readonly agent_id?: Id }> };
}

export type SchedulerCall =
  | SubscribeCall
  | TeardownCall
  | AcceptCall
  | DeclineCall
  | ReviveCall
  | SuppressCall
  | KillCall
  | AcknowledgeCall
  | ReconcileCall;

/** Every call but SUBSCRIBE: these need the framework id and the stream id. */
export type StreamCall = Exclude<SchedulerCall, SubscribeCall>;
