import type { DataSource } from 'typeorm';
import type { Config } from '@msched/config';
import { clearFrameworkId, getFrameworkId, saveFrameworkId } from '@msched/db';
import type { Logger } from '@msched/logging';
import { detectLeader, SchedulerClient, type FrameworkErrorEvent, type LeaderDetector, type SandboxLookup, type SubscribedInfo } from '@msched/mesos';
import type { Metrics } from '@msched/observability';
import type { Zk } from '@msched/zk';
import type { ChannelListener } from '@msched/db';
import { wakeListener } from '../intake/wake';
import { Reconciler } from '../reconcile/reconciler';
import { liveTasks } from '../store/live-tasks';
import { every } from '../timers/every';
import { actionForFrameworkError } from './framework-error';
import { WaitEstimates } from './estimates';
import { frameworkSettings } from './framework-settings';
import { Gangs } from './gangs';
import { mesosLink } from './mesos-link';
import type { LeaderContext } from './leader-context';
import { Offers } from './offers';
import { SerialQueue } from './serial-queue';
import { TaskUpdates } from './task-updates';

export interface LeaderDeps {
  readonly cfg: Config;
  readonly ds: DataSource;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The ZooKeeper session of this replica (gang results and rendezvous cleanup). */
  readonly zk: () => Zk | undefined;
  /** Wakes this process' outbox relay after a commit. */
  readonly afterCommit: () => void;
  /** This replica must stop leading (another scheduler took over our FrameworkID). */
  readonly stepDown: (reason: string) => void;
  /** Where task sandboxes are looked up (default: the master's and agents' state; tests make it fail). */
  readonly sandboxLookup?: SandboxLookup;
}

/**
 * The Mesos framework, run only by the elected dispatcher. It takes over what the database says
 * (launched gangs, waiting gangs, tasks not known to have ended), subscribes with the persisted
 * FrameworkID, reconciles, and then handles every event one at a time (SerialQueue): offers go
 * through the offer policy (Offers) to launches, task updates through the gang state machine to
 * the database (TaskUpdates, Gangs) and only then to Mesos (kills, acknowledgements). Stopping it
 * stops the Mesos client at once; Mesos keeps our tasks for failover_timeout, so the next leader
 * finds them.
 */
export class Leader {
  private readonly queue: SerialQueue;
  private readonly ctx: LeaderContext;
  private readonly gangs: Gangs;
  private readonly offers: Offers;
  private readonly estimates: WaitEstimates;
  private readonly updates: TaskUpdates;
  private readonly reconciler: Reconciler;
  private readonly stops: Array<() => void> = [];
  private readonly log: Logger;
  private client?: SchedulerClient;
  private detector?: LeaderDetector;
  private listener?: ChannelListener;
  private frameworkIdNow: string | undefined;
  private wakeQueued = false;
  private stopped = false;

  constructor(private readonly d: LeaderDeps) {
    const c = d.cfg.dispatcher;
    this.log = d.logger.child({ component: 'leader' });
    this.queue = new SerialQueue(this.log);
    this.ctx = {
      cfg: d.cfg, ds: d.ds, log: this.log, metrics: d.metrics, zk: d.zk, afterCommit: d.afterCommit,
      client: () => this.client,
      isSubscribed: () => this.isSubscribed,
      frameworkId: () => this.frameworkIdNow,
      enqueue: (label, fn) => void this.queue.run(label, fn),
    };
    this.reconciler = new Reconciler(
      { reconcile: (tasks) => this.requireClient().reconcile(tasks), isSubscribed: () => this.isSubscribed },
      { initialMs: c.explicitReconcileInitialMs, maxMs: c.explicitReconcileMaxSeconds * 1000, implicitEveryMs: c.implicitReconcileIntervalSeconds * 1000, logger: this.log },
    );
    this.gangs = new Gangs(this.ctx, {
      settled: (jobId) => this.offers.handle({ type: 'gangEnded', gangId: jobId }),
      retryQueued: () => this.offers.syncWaiting(),
    });
    this.offers = new Offers(this.ctx, this.gangs);
    this.estimates = new WaitEstimates(this.ctx, this.offers.policy);
    this.updates = new TaskUpdates(this.ctx, this.gangs, this.reconciler, d.sandboxLookup);
  }

  get isSubscribed(): boolean {
    return this.client?.isSubscribed ?? false;
  }

  get currentFrameworkId(): string | undefined {
    return this.frameworkIdNow;
  }

  /** Gangs waiting for offers, with the policy's answer to "why is it waiting". */
  waitingGangs(): Array<{ jobId: string; why: string }> {
    return this.offers.waitingGangs();
  }

  /** Past usage per tenant as fair share charges it now (loaded at takeover, plus what ran since). */
  tenantUsage(): ReturnType<Offers['policy']['usage']> {
    return this.offers.policy.usage(Date.now());
  }

  /** Tasks asked about since the last SUBSCRIBED that the master has not answered yet. */
  get unreconciledTasks(): number {
    return this.reconciler.unanswered().length;
  }

  async start(): Promise<void> {
    const { cfg, ds } = this.d;
    this.frameworkIdNow = await getFrameworkId(ds, cfg.dispatcher.frameworkName);
    this.log.info(this.frameworkIdNow ? `leading: re-subscribing as framework ${this.frameworkIdNow}` : 'leading: registering a new framework');
    // Not leading without knowing what runs: a failure here fails start() (the replica steps down and retries).
    await this.queue.call(async () => {
      await this.offers.loadUsage();
      await this.offers.handle(await this.gangs.adopt());
      await this.gangs.applyCancels();
      await this.offers.syncWaiting();
    });
    if (this.stopped) return;
    this.detector = await detectLeader(cfg.mesos.master, { logger: this.log, sessionTimeoutMs: cfg.zookeeper.sessionTimeoutMs });
    this.offers.detector = this.detector;
    if (this.stopped) return void (await this.detector.close());
    this.startClient();
    this.listener = wakeListener(cfg.database.url, () => this.wake(), this.log);
    await this.listener.start();
    const c = cfg.dispatcher;
    this.stops.push(
      every(c.tickMs, () => void this.queue.run('tick', async () => {
        await this.offers.tick();
        this.gangs.resendKills(Date.now());
      })),
      every(c.pollIntervalMs, () => this.wake()),
      every(cfg.scheduling.estimateIntervalMs, () => void this.queue.run('wait estimates', () => this.estimates.pass())),
      every(c.clusterStateIntervalSeconds * 1000, () => void this.queue.run('cluster state', () => this.offers.refreshClusterState(this.detector))),
    );
  }

  /** Stops leading at once: the Mesos client first, then timers, then the work in progress. */
  async stop(reason: string): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.client?.stop(reason);
    for (const stop of this.stops) stop();
    this.gangs.stop();
    this.reconciler.stop();
    await this.listener?.stop();
    await this.queue.close();
    await this.detector?.close().catch(() => undefined);
    this.log.info(`stopped leading: ${reason}`);
  }

  /** New work may be in the database (a GangReady, a cancel): look soon. */
  wake(): void {
    if (this.wakeQueued || this.stopped) return;
    this.wakeQueued = true;
    void this.queue.run('wake', async () => {
      this.wakeQueued = false;
      await this.offers.syncWaiting();
      await this.gangs.applyCancels();
    });
  }

  private startClient(): void {
    const { cfg } = this.d;
    const c = cfg.dispatcher;
    const client = new SchedulerClient({
      detector: this.requireDetector(),
      logger: this.log,
      framework: frameworkSettings(cfg, this.frameworkIdNow),
      reconnect: { initialMs: c.reconnectInitialMs, maxMs: c.reconnectMaxMs, multiplier: 2, jitter: 0.2 },
      heartbeatMissLimit: c.heartbeatMissLimit,
      callTimeoutMs: c.callTimeoutMs,
      suppressedRoles: () => this.offers.policy.suppressedRoles(),
      ...mesosLink(cfg),
    });
    const q = (label: string, fn: () => Promise<unknown> | unknown) => void this.queue.run(label, fn);
    client.on('subscribed', (s) => q('subscribed', () => this.onSubscribed(client, s)));
    client.on('offers', (offers) => q('offers', () => this.offers.offers(offers)));
    client.on('rescind', (id) => q('rescind', () => this.offers.handle({ type: 'offerRescinded', offerId: id })));
    client.on('update', (st) => q(`update of ${st.task_id.value} (${st.state})`, () => this.updates.update(client, st)));
    client.on('failure', (f) => q('failure', () => this.updates.failure(f)));
    client.on('frameworkError', (e) => q('framework error', () => this.onFrameworkError(client, e)));
    client.on('disconnected', (i) => {
      if (!this.stopped) this.log.warn(`Mesos subscription lost: ${i.reason}${i.retryInMs !== undefined ? `; re-subscribing in ${i.retryInMs} ms` : ''}`);
    });
    this.client = client;
    client.start();
  }

  private async onSubscribed(client: SchedulerClient, s: SubscribedInfo): Promise<void> {
    if (client !== this.client) return;
    const { cfg, ds } = this.d;
    if (s.frameworkId !== this.frameworkIdNow) {
      // Saved before anything is launched under it: the next leader must come back as this framework.
      await saveFrameworkId(ds, cfg.dispatcher.frameworkName, s.frameworkId);
      this.log.info(`registered as framework ${s.frameworkId}`);
      this.frameworkIdNow = s.frameworkId;
    }
    await this.offers.handle({ type: 'resubscribed' });
    await this.offers.refreshClusterState(this.detector);
    this.reconciler.begin((await liveTasks(ds)).map((t) => ({ taskId: t.taskId, ...(t.agentId ? { agentId: t.agentId } : {}) })));
    // KILLs sent to the previous master may be lost with it.
    this.gangs.resendKills(Date.now(), true);
    await this.offers.syncWaiting();
  }

  private async onFrameworkError(client: SchedulerClient, e: FrameworkErrorEvent): Promise<void> {
    if (client !== this.client || this.stopped) return;
    if (actionForFrameworkError(e.message) === 'register-anew') {
      this.log.error(`Mesos removed framework ${this.frameworkIdNow}: ${e.message}; registering a new one (its tasks are gone and will be retried)`);
      await clearFrameworkId(this.d.ds, this.d.cfg.dispatcher.frameworkName);
      this.frameworkIdNow = undefined;
      this.startClient();
      return;
    }
    this.log.error(`the master refused us (${e.message}): stepping down`);
    this.d.stepDown(`the master said: ${e.message}`);
  }

  private requireClient(): SchedulerClient {
    if (!this.client) throw new Error('the Mesos client is not started');
    return this.client;
  }

  private requireDetector(): LeaderDetector {
    if (!this.detector) throw new Error('no leading-master detector');
    return this.detector;
  }
}
