import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Logger } from '@msched/logging';
import { FrameworkErrorEvent, MesosCallError, MesosError, MesosNotSubscribedError } from '../errors';
import { basicAuthorization, type FrameworkCredential } from '../http/credential';
import { sendRequest } from '../http/request';
import type { LeaderDetector } from '../master/leader-detector';
import type { MasterEndpoint } from '../master/master-info';
import {
  acceptCall, acknowledgeCall, declineCall, frameworkInfo, killCall, reconcileCall, reviveCall, subscribeCall,
  suppressCall, teardownCall, type FrameworkSettings, type ReconcileTarget,
} from '../protocol/call-builders';
import type { OfferOperation, StreamCall } from '../protocol/calls';
import { encodeCall } from '../protocol/codec';
import type { FailureEvent, MessageEvent, SchedulerEvent } from '../protocol/events';
import type { MasterInfo, Offer } from '../protocol/messages';
import { needsAcknowledgement, type TaskStatus } from '../protocol/task-status';
import { Backoff, type BackoffPolicy } from '@msched/retry';
import { HeartbeatWatchdog } from './heartbeat-watchdog';
import { SCHEDULER_PATH, SubscriptionStream } from './subscription-stream';

export interface SubscribedInfo {
  readonly frameworkId: string;
  /** Base URL of the master holding our subscription. */
  readonly masterUrl: string;
  readonly streamId: string;
  readonly heartbeatIntervalSeconds: number;
  readonly masterInfo?: MasterInfo;
  /** True when we came back with a FrameworkID we already had: reconcile now, old offers are void. */
  readonly resubscribed: boolean;
}

export interface DisconnectedInfo {
  readonly reason: string;
  /** When the next SUBSCRIBE goes out; undefined when the client was stopped. */
  readonly retryInMs?: number;
}

/** Typed events of the client. (The master's ERROR event is `frameworkError`: `error` would throw without a listener.) */
export interface SchedulerClientEvents {
  subscribed: [SubscribedInfo];
  offers: [readonly Offer[]];
  rescind: [string];
  update: [TaskStatus];
  failure: [FailureEvent['failure']];
  message: [MessageEvent['message']];
  frameworkError: [FrameworkErrorEvent];
  heartbeat: [];
  disconnected: [DisconnectedInfo];
}

export interface SchedulerClientOptions {
  readonly detector: LeaderDetector;
  readonly framework: FrameworkSettings;
  readonly logger: Logger;
  readonly reconnect?: BackoffPolicy;
  /** Silent heartbeat intervals tolerated before the stream is declared dead (mesos-v1.md: ~5). */
  readonly heartbeatMissLimit?: number;
  readonly callTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly maxRedirects?: number;
  /** How long one connection attempt waits for a leader to be known. */
  readonly leaderWaitMs?: number;
  /** Roles to subscribe suppressed (asked at every (re)subscription). */
  readonly suppressedRoles?: () => readonly string[];
  readonly maxRecordBytes?: number;
  /** Sent as HTTP Basic on SUBSCRIBE and every call; its principal should be FrameworkInfo.principal. */
  readonly credential?: FrameworkCredential;
  /** Extra CA certificates (PEM) trusted for https masters (besides the system's). */
  readonly ca?: string;
}

type State = 'idle' | 'connecting' | 'subscribed' | 'waiting' | 'stopped';

/**
 * A Mesos v1 scheduler: keeps one subscription open to whichever master leads, re-subscribing with
 * the FrameworkID it was given, and sends calls over a separate keep-alive pool. It knows the
 * protocol only, never a particular master implementation.
 */
export class SchedulerClient extends EventEmitter<SchedulerClientEvents> {
  private state: State = 'idle';
  private stream: SubscriptionStream | undefined;
  private frameworkIdValue: string | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopDetector: (() => void) | undefined;
  private readonly backoff: Backoff;
  private readonly watchdog: HeartbeatWatchdog;
  private readonly callAgent: http.Agent;
  private readonly callAgentTls: https.Agent;
  private readonly log: Logger;
  private readonly authorization: string | undefined;

  constructor(private readonly opts: SchedulerClientOptions) {
    super();
    this.frameworkIdValue = opts.framework.frameworkId;
    this.backoff = new Backoff(opts.reconnect ?? { initialMs: 500, maxMs: 30_000, multiplier: 2, jitter: 0.2 });
    this.watchdog = new HeartbeatWatchdog((silentMs) => this.stream?.close(`no event from the master for ${silentMs} ms`));
    this.callAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    this.callAgentTls = new https.Agent({ keepAlive: true, maxSockets: 16, ...(opts.ca ? { ca: [...tls.rootCertificates, opts.ca] } : {}) });
    this.authorization = opts.credential ? basicAuthorization(opts.credential) : undefined;
    this.log = opts.logger.child({ component: 'mesos-scheduler' });
  }

  /** The FrameworkID: given at construction (persisted) or assigned by the master at first SUBSCRIBED. */
  get frameworkId(): string | undefined {
    return this.frameworkIdValue;
  }

  get isSubscribed(): boolean {
    return this.state === 'subscribed';
  }

  /** The master holding our subscription, while subscribed. */
  get masterUrl(): string | undefined {
    return this.state === 'subscribed' ? this.stream?.masterUrl : undefined;
  }

  /** Starts subscribing; the client then keeps itself subscribed until stop() or an ERROR event. */
  start(): void {
    if (this.state !== 'idle') throw new Error(`SchedulerClient.start() called twice (state ${this.state})`);
    this.state = 'waiting';
    this.stopDetector = this.opts.detector.onChange((leader) => this.onLeaderChange(leader));
    void this.connect();
  }

  /** Closes the subscription and stops reconnecting. Mesos keeps our tasks for failover_timeout. */
  stop(reason = 'stopped by the scheduler'): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.stopDetector?.();
    this.watchdog.disarm();
    const stream = this.stream;
    this.stream = undefined;
    stream?.close(reason);
    this.callAgent.destroy();
    this.callAgentTls.destroy();
    this.emit('disconnected', { reason });
  }

  /**
   * Sends one call over the current subscription. Resolves on 200/202; rejects with MesosCallError
   * (status, the master's message, `retriable`), MesosConnectionError or MesosNotSubscribedError.
   */
  async call(call: StreamCall): Promise<void> {
    const stream = this.stream;
    if (this.state !== 'subscribed' || !stream) throw new MesosNotSubscribedError(call.type);
    const masterUrl = stream.masterUrl;
    const answer = await sendRequest({
      url: `${masterUrl}${SCHEDULER_PATH}`,
      method: 'POST',
      headers: {
        'Content-Type': 'application/json', Accept: 'application/json', 'Mesos-Stream-Id': stream.streamId,
        ...(this.authorization ? { Authorization: this.authorization } : {}),
      },
      body: encodeCall(call),
      agent: masterUrl.startsWith('https:') ? this.callAgentTls : this.callAgent,
      timeoutMs: this.opts.callTimeoutMs ?? 10_000,
    });
    if (answer.status === 202 || answer.status === 200) return;
    if (answer.status === 307 && stream === this.stream) {
      // Our master stopped leading: the stream id means nothing to the new leader, so re-subscribe.
      stream.close(`${masterUrl} no longer leads (307 to ${answer.headers.location ?? '?'})`);
    }
    throw new MesosCallError(call.type, answer.status, answer.body.trim().slice(0, 2000), masterUrl);
  }

  // Convenience wrappers: the builders with our FrameworkID filled in.

  async accept(offerIds: readonly string[], operations: readonly OfferOperation[], refuseSeconds?: number): Promise<void> {
    return this.call(acceptCall(this.requireId('ACCEPT'), offerIds, operations, refuseSeconds));
  }

  async decline(offerIds: readonly string[], refuseSeconds?: number): Promise<void> {
    return this.call(declineCall(this.requireId('DECLINE'), offerIds, refuseSeconds));
  }

  async revive(roles: readonly string[] = []): Promise<void> {
    return this.call(reviveCall(this.requireId('REVIVE'), roles));
  }

  async suppress(roles: readonly string[] = []): Promise<void> {
    return this.call(suppressCall(this.requireId('SUPPRESS'), roles));
  }

  async kill(taskId: string, agentId?: string): Promise<void> {
    return this.call(killCall(this.requireId('KILL'), taskId, agentId));
  }

  /** Acknowledges an update if it carries a uuid; returns false (and sends nothing) otherwise. */
  async acknowledge(status: TaskStatus): Promise<boolean> {
    if (!needsAcknowledgement(status)) return false;
    await this.call(acknowledgeCall(this.requireId('ACKNOWLEDGE'), { agentId: status.agent_id.value, taskId: status.task_id.value, uuid: status.uuid }));
    return true;
  }

  async reconcile(tasks: readonly ReconcileTarget[] = []): Promise<void> {
    return this.call(reconcileCall(this.requireId('RECONCILE'), tasks));
  }

  /** Removes the framework from Mesos: every task is killed and the FrameworkID retired. */
  async teardown(): Promise<void> {
    return this.call(teardownCall(this.requireId('TEARDOWN')));
  }

  private requireId(callType: string): string {
    if (!this.frameworkIdValue || this.state !== 'subscribed') throw new MesosNotSubscribedError(callType);
    return this.frameworkIdValue;
  }

  private async connect(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'connecting';
    let leader: MasterEndpoint;
    try {
      leader = await this.opts.detector.leader(this.opts.leaderWaitMs ?? 30_000);
    } catch (e) {
      return this.scheduleReconnect((e as Error).message);
    }
    if (this.state !== 'connecting') return;
    const info = frameworkInfo({ ...this.opts.framework, frameworkId: this.frameworkIdValue });
    const body = encodeCall(subscribeCall(info, this.opts.suppressedRoles?.() ?? []));
    const resubscribing = this.frameworkIdValue !== undefined;
    this.log.info(`subscribing to ${leader.url}${resubscribing ? ` as framework ${this.frameworkIdValue}` : ' as a new framework'}`);
    const stream: SubscriptionStream = new SubscriptionStream(
      {
        masterUrl: leader.url,
        body,
        connectTimeoutMs: this.opts.connectTimeoutMs ?? 10_000,
        maxRedirects: this.opts.maxRedirects ?? 3,
        maxRecordBytes: this.opts.maxRecordBytes,
        authorization: this.authorization,
        ca: this.opts.ca ? [...tls.rootCertificates, this.opts.ca].join('\n') : undefined,
      },
      {
        opened: (masterUrl) => this.log.debug(`event stream open from ${masterUrl}`),
        event: (event) => {
          if (stream === this.stream) this.onEvent(stream, event, resubscribing);
        },
        closed: (reason, error) => {
          if (stream === this.stream) this.onStreamClosed(reason, error);
        },
      },
    );
    this.stream = stream;
    stream.open();
  }

  private onEvent(stream: SubscriptionStream, event: SchedulerEvent, resubscribing: boolean): void {
    this.watchdog.beat();
    if (event.type === 'ERROR') return this.onFrameworkError(event.error.message);
    if (this.state !== 'subscribed' && event.type !== 'SUBSCRIBED') {
      this.log.warn(`ignoring ${event.type} received before SUBSCRIBED`);
      return;
    }
    switch (event.type) {
      case 'SUBSCRIBED': {
        const s = event.subscribed;
        const interval = s.heartbeat_interval_seconds ?? 15;
        this.frameworkIdValue = s.framework_id.value;
        this.state = 'subscribed';
        this.backoff.reset();
        this.watchdog.arm(interval, this.opts.heartbeatMissLimit ?? 5);
        this.log.info(`subscribed to ${stream.masterUrl} as framework ${s.framework_id.value}`);
        this.emit('subscribed', {
          frameworkId: s.framework_id.value,
          masterUrl: stream.masterUrl,
          streamId: stream.streamId,
          heartbeatIntervalSeconds: interval,
          masterInfo: s.master_info,
          resubscribed: resubscribing,
        });
        return;
      }
      case 'HEARTBEAT':
        return void this.emit('heartbeat');
      case 'OFFERS':
        return void this.emit('offers', event.offers.offers);
      case 'RESCIND':
        return void this.emit('rescind', event.rescind.offer_id.value);
      case 'UPDATE':
        return void this.emit('update', event.update.status);
      case 'FAILURE':
        return void this.emit('failure', event.failure);
      case 'MESSAGE':
        return void this.emit('message', event.message);
      case 'UNKNOWN':
        return void this.log.debug(`ignoring unknown event type ${event.wireType}`);
      default:
        // Inverse offers and operation status: we hold no reservations or volumes, nothing to do.
        return void this.log.debug(`ignoring ${event.type}`);
    }
  }

  /**
   * The master's ERROR event: refused, removed ("Framework has been removed") or replaced by another
   * scheduler ("Framework failed over"). Reconnecting cannot fix any of these, so the client stops
   * and leaves the decision (new FrameworkID? step down?) to its owner.
   */
  private onFrameworkError(message: string): void {
    this.log.error(`the master sent ERROR: ${message}`);
    const err = new FrameworkErrorEvent(message);
    this.stop(`the master sent ERROR: ${message}`);
    this.emit('frameworkError', err);
  }

  private onStreamClosed(reason: string, error?: MesosError): void {
    this.stream = undefined;
    this.watchdog.disarm();
    if (this.state === 'stopped') return;
    if (error instanceof MesosCallError && error.status === 401) {
      this.log.error(`the master refused the framework's credentials (401): ${this.opts.credential ? `principal "${this.opts.credential.principal}" with a secret the master does not accept` : 'it authenticates frameworks and none was given'}; set MSCHED_MESOS_PRINCIPAL and MSCHED_MESOS_SECRET_FILE to an entry of the masters' --credentials`);
    } else if (error && !error.retriable) this.log.error(`subscription ended: ${reason}${reason.includes(error.message) ? '' : ` (${error.message})`}`);
    else this.log.warn(`subscription ended: ${reason}`);
    this.scheduleReconnect(reason);
  }

  private scheduleReconnect(reason: string): void {
    if (this.state === 'stopped' || this.reconnectTimer) return;
    this.state = 'waiting';
    const delay = this.backoff.next();
    this.emit('disconnected', { reason, retryInMs: delay });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
  }

  private onLeaderChange(leader: MasterEndpoint | undefined): void {
    // A leader vanishing from ZooKeeper alone proves nothing about our stream: keep it until it breaks.
    if (!leader || this.state === 'stopped') return;
    const stream = this.stream;
    if (stream && stream.masterUrl !== leader.url) {
      this.log.info(`leading master changed to ${leader.url}; re-subscribing`);
      stream.close(`leading master changed to ${leader.url}`);
    }
  }
}
