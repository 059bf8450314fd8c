import { withTransaction } from '@msched/db';
import { OfferPolicy, type PolicyDecision, type PolicyEvent, type WaitingGang } from '@msched/gang';
import { forJob } from '@msched/logging';
import { fetchClusterState, type LeaderDetector, type Offer } from '@msched/mesos';
import type { LaunchDecision } from '../launch/launch-decision';
import { launchGang } from '../launch/launch-gang';
import { waitingGangOf } from '../policy/gangs-from-rows';
import { queueSyncEvents } from '../policy/queue-sync';
import { schedulingPolicyConfig } from '../policy/scheduling-config';
import { endUnlaunchedJob } from '../status/end-unlaunched-job';
import { tenantUsage } from '../store/tenant-usage';
import { waitingJobs } from '../store/waiting-jobs';
import { frameworkRoles } from './framework-settings';
import type { Gangs } from './gangs';
import type { LeaderContext } from './leader-context';

/**
 * The leader's side of the offer policy (packages/gang OfferPolicy, pure): feeds it offers, gangs
 * from the database, the cluster's capacity and time, and carries out its decisions: launches,
 * DECLINEs with a filter, REVIVE and SUPPRESS, and failing gangs that can never run.
 */
export class Offers {
  readonly policy: OfferPolicy;
  /** Gangs waiting, as last read from the database (their queue times feed the wait metric). */
  private waiting = new Map<string, WaitingGang>();
  /** Roles whose REVIVE failed: gangs would wait for offers that never come, so it is sent again. */
  private readonly reviveOwed = new Set<string>();
  /** Finds the leading master for /master/state (set by the leader once it has one). */
  detector?: LeaderDetector;

  constructor(private readonly ctx: LeaderContext, private readonly gangs: Gangs) {
    const c = ctx.cfg.dispatcher;
    this.policy = new OfferPolicy({
      roles: frameworkRoles(ctx.cfg),
      holdSeconds: c.offerHoldSeconds,
      declineRefuseSeconds: c.declineRefuseSeconds,
      idleRefuseSeconds: c.idleRefuseSeconds,
      reservationAgingSeconds: c.reservationAgingSeconds,
      holdForReservation: c.holdForReservation,
      reviveOnGangEnd: c.reviveOnGangEnd,
      ...schedulingPolicyConfig(ctx.cfg.scheduling),
    });
  }

  /** Waiting gangs with the policy's answer to "why is it waiting". */
  waitingGangs(): Array<{ jobId: string; why: string }> {
    const reasons = this.policy.explainAll(Date.now());
    return this.policy.waiting().map((g) => ({ jobId: g.gangId, why: reasons.get(g.gangId) ?? 'waiting' }));
  }

  async handle(events: PolicyEvent | readonly PolicyEvent[]): Promise<void> {
    await this.exec(this.policy.handle(events, Date.now()));
  }

  async offers(offers: readonly Offer[]): Promise<void> {
    const started = process.hrtime.bigint();
    const decisions = this.policy.handle({ type: 'offers', offers }, Date.now());
    if (decisions.some((x) => x.type === 'launch')) this.ctx.metrics.placementSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    await this.exec(decisions);
  }

  /** Brings the policy's queue in line with the database (new gangs, gangs canceled elsewhere). */
  async syncWaiting(): Promise<void> {
    const gangs: WaitingGang[] = [];
    for (const job of await waitingJobs(this.ctx.ds)) {
      try {
        gangs.push(waitingGangOf(job, this.ctx.cfg.dispatcher.portsPerAgent));
      } catch (e) {
        await this.failWaiting(job.id, `invalid gang: ${(e as Error).message}`, 'invalid');
      }
    }
    this.waiting = new Map(gangs.map((g) => [g.gangId, g]));
    const events = queueSyncEvents(this.policy.waiting(), gangs);
    // A new gang that does not fit the cluster as last read is judged against the cluster as it is
    // now: agents may have joined since (a capacity provider adds them for this very gang), and a
    // gang must never be failed as "can never fit" on a stale view. One that fits skips the read
    // (the periodic one still fails it if agents have left for good).
    if (events.some((e) => e.type === 'gangQueued' && !this.policy.fitsKnownCluster(e.gang))) await this.refreshClusterState(this.detector);
    await this.handle(events);
  }

  /**
   * Past usage per tenant from the job records, for fair share: at takeover, before the gangs, so
   * a new leader orders the queue as the last one did.
   */
  async loadUsage(): Promise<void> {
    const usage = await tenantUsage(this.ctx.ds, this.ctx.cfg.scheduling.halfLifeHours * 3600);
    await this.handle({ type: 'usageLoaded', usage });
    if (usage.length) this.ctx.log.info(`past usage of ${usage.length} tenant(s) loaded for fair share`);
  }

  /** The cluster's capacity, so gangs that can never fit fail at once. */
  async refreshClusterState(detector: LeaderDetector | undefined): Promise<void> {
    if (!this.ctx.isSubscribed() || !detector) return;
    try {
      const state = await fetchClusterState(detector, { timeoutMs: this.ctx.cfg.dispatcher.callTimeoutMs });
      await this.handle({ type: 'clusterState', state });
    } catch (e) {
      this.ctx.log.warn(`reading /master/state failed (capacity unknown until the next try): ${(e as Error).message}`);
    }
  }

  /** Time passes: held offers expire; REVIVEs owed are sent again. */
  async tick(): Promise<void> {
    await this.handle({ type: 'tick' });
    if (this.reviveOwed.size === 0) return;
    const waitingRoles = new Set(this.policy.waiting().map((g) => g.request.role));
    const owed = [...this.reviveOwed].filter((r) => waitingRoles.has(r));
    this.reviveOwed.clear();
    if (owed.length) await this.revive(owed);
  }

  /** Carries out the policy's decisions, in order. */
  async exec(decisions: readonly PolicyDecision[]): Promise<void> {
    const client = this.ctx.client();
    for (const x of decisions) {
      switch (x.type) {
        case 'launch':
          await this.launch(x);
          break;
        case 'decline':
          // Without a subscription the offers are void already (the master rescinded them).
          if (this.ctx.isSubscribed()) await client?.decline(x.offerIds, x.refuseSeconds).catch((e: Error) => this.ctx.log.warn(`DECLINE of ${x.offerIds.length} offer(s) failed: ${e.message}`));
          break;
        case 'revive':
          await this.revive(x.roles);
          break;
        case 'suppress':
          for (const r of x.roles) this.reviveOwed.delete(r);
          // Before a subscription SUBSCRIBE carries it (suppressed_roles from the policy).
          if (this.ctx.isSubscribed()) await client?.suppress(x.roles).catch((e: Error) => this.ctx.log.warn(`SUPPRESS ${x.roles.join(',')} failed: ${e.message}`));
          break;
        case 'fail':
          await this.failWaiting(x.gangId, x.reason, x.reason.startsWith('invalid') ? 'invalid' : 'unplaceable');
          break;
      }
    }
    this.ctx.metrics.gangsWaiting.set(this.policy.waiting().length);
    this.ctx.metrics.gangsRunning.set(this.gangs.runningCount);
  }

  private async revive(roles: readonly string[]): Promise<void> {
    const client = this.ctx.client();
    if (!client || !this.ctx.isSubscribed()) return;
    try {
      await client.revive(roles);
      for (const r of roles) this.reviveOwed.delete(r);
    } catch (e) {
      for (const r of roles) this.reviveOwed.add(r);
      this.ctx.log.warn(`REVIVE ${roles.join(',')} failed (will retry): ${(e as Error).message}`);
    }
  }

  private async launch(x: LaunchDecision): Promise<void> {
    const client = this.ctx.client();
    if (!client) return;
    const gang = this.waiting.get(x.gangId);
    const report = await launchGang(x, { ds: this.ctx.ds, cfg: this.ctx.cfg, client, frameworkId: this.ctx.frameworkId() ?? '', logger: this.ctx.log });
    if (report.kind !== 'launched') {
      await this.declineQuietly(x.agents.flatMap((a) => a.offerIds));
      await this.handle({ type: 'gangEnded', gangId: x.gangId });
      if (report.kind === 'invalid') await this.failWaiting(x.gangId, report.why, 'invalid');
      return;
    }
    this.waiting.delete(x.gangId);
    this.gangs.launched(report.job);
    if (gang) this.ctx.metrics.gangWaitSeconds.observe(Math.max(0, report.launchedAt.getTime() - gang.queuedAt) / 1000);
    for (const f of report.failures) {
      // The ACCEPT failed: give its offers back, and the attempt fails as an infrastructure failure.
      await this.declineQuietly(f.offerIds);
      await this.gangs.apply(x.gangId, { type: 'launchFailed', agentId: f.agentId, reason: f.reason });
    }
  }

  private async declineQuietly(offerIds: readonly string[]): Promise<void> {
    if (offerIds.length === 0 || !this.ctx.isSubscribed()) return;
    await this.ctx.client()?.decline(offerIds, this.ctx.cfg.dispatcher.acceptRefuseSeconds).catch(() => undefined);
  }

  /** A gang that never launched fails with its reason (it can never fit, or cannot be built). */
  private async failWaiting(jobId: string, reason: string, kind: string): Promise<void> {
    const ended = await withTransaction(this.ctx.ds, (tx) => endUnlaunchedJob(tx, jobId, { state: 'FAILED', reason, failureKind: kind }));
    this.ctx.afterCommit();
    this.waiting.delete(jobId);
    if (ended) forJob(this.ctx.log, { experimentId: ended.experimentId, processId: ended.processId, jobId }).warn(`FAILED before launch: ${reason}`);
  }
}
