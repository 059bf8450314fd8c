import type { Id, MasterInfo, Offer } from './messages';
import type { TaskStatus } from './task-status';

/**
 * Scheduler events as the master sends them: every payload sits under the lower-case name of its
 * type, and OFFERS nests its list one level deeper (`"offers":{"offers":[...]}`, errata).
 */
export interface SubscribedEvent {
  readonly type: 'SUBSCRIBED';
  readonly subscribed: {
    readonly framework_id: Id;
    readonly heartbeat_interval_seconds?: number;
    readonly master_info?: MasterInfo;
  };
}

export interface OffersEvent {
  readonly type: 'OFFERS';
  readonly offers: { readonly offers: readonly Offer[] };
}

export interface InverseOffersEvent {
  readonly type: 'INVERSE_OFFERS';
  readonly inverse_offers: { readonly inverse_offers: readonly unknown[] };
}

export interface RescindEvent {
  readonly type: 'RESCIND';
  readonly rescind: { readonly offer_id: Id };
}

export interface RescindInverseOfferEvent {
  readonly type: 'RESCIND_INVERSE_OFFER';
  readonly rescind_inverse_offer: { readonly inverse_offer_id: Id };
}

export interface UpdateEvent {
  readonly type: 'UPDATE';
  readonly update: { readonly status: TaskStatus };
}

export interface UpdateOperationStatusEvent {
  readonly type: 'UPDATE_OPERATION_STATUS';
  readonly update_operation_status: { readonly status: Record<string, unknown> };
}

export interface MessageEvent {
  readonly type: 'MESSAGE';
  readonly message: { readonly agent_id: Id; readonly executor_id: Id; readonly data: string };
}

export interface FailureEvent {
  readonly type: 'FAILURE';
  /** With executor_id: an executor ended (`status` is a raw waitpid value). Without: the agent is gone. */
  readonly failure: { readonly agent_id?: Id; readonly executor_id?: Id; readonly status?: number };
}

export interface ErrorEvent {
  readonly type: 'ERROR';
  readonly error: { readonly message: string };
}

export interface HeartbeatEvent {
  readonly type: 'HEARTBEAT';
}

/** An event type this client does not know (a newer master); logged and otherwise ignored. */
export interface UnknownEvent {
  readonly type: 'UNKNOWN';
  readonly wireType: string;
}

export type SchedulerEvent =
  | SubscribedEvent
  | OffersEvent
  | InverseOffersEvent
  | RescindEvent
  | RescindInverseOfferEvent
  | UpdateEvent
  | UpdateOperationStatusEvent
  | MessageEvent
  | FailureEvent
  | ErrorEvent
  | HeartbeatEvent
  | UnknownEvent;
