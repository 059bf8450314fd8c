import type { PolicyEvent, TaskRef } from '@msched/gang';
import { forJob } from '@msched/logging';
import { removeJobRendezvous } from '@msched/mpi';
import { runningGangOf } from '../policy/gangs-from-rows';
import { runGangTransaction, type GangInput, type GangTxResult, type GangTxSettings } from '../status/gang-transaction';
import { isJobTerminal } from '../status/restore-fate';
import { isTerminalState } from '../status/task-order';
import { launchedJobs } from '../store/launched-jobs';
import type { JobRow } from '../store/rows';
import { DeadlineTimers } from '../timers/deadline-timers';
import { KillRetry } from '../timers/kill-retry';
import type { LeaderContext } from './leader-context';

export interface GangHooks {
  /** An attempt settled: its resources are free (the offer policy hears of it). */
  settled(jobId: string): Promise<void>;
  /** A new attempt was queued (the offer policy must pick it up). */
  retryQueued(): Promise<void>;
}

/**
 * The launched gangs of the leader: each event of one goes through its transaction
 * (runGangTransaction), then what must follow the commit: KILLs (re-sent while unanswered), the
 * wall-time deadline, clean-up once it settled.
 */
export class Gangs {
  private readonly running = new Set<string>();
  private readonly killRetry: KillRetry;
  private readonly wallTimers = new DeadlineTimers();
  private readonly tx: GangTxSettings;

  constructor(private readonly ctx: LeaderContext, private readonly hooks: GangHooks) {
    const c = ctx.cfg.dispatcher;
    this.tx = { maxAttempts: c.maxGangAttempts, killRetrySeconds: c.killRetrySeconds };
    this.killRetry = new KillRetry(c.killRetrySeconds * 1000);
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** Takes over the launched gangs a previous leader left; returns what the offer policy must know. */
  async adopt(): Promise<PolicyEvent[]> {
    const events: PolicyEvent[] = [];
    for (const { job, tasks } of await launchedJobs(this.ctx.ds)) {
      this.running.add(job.id);
      events.push({ type: 'gangRunning', gang: runningGangOf(job, tasks) });
      if (!isJobTerminal(job.state)) this.scheduleWallTime(job);
      // Its fate is sealed but tasks still run: the previous leader's KILLs may be lost.
      else this.kill(tasks.filter((t) => !isTerminalState(t.state)).map((t) => ({ taskId: t.id, agentId: t.agentId ?? '' })));
    }
    if (events.length) this.ctx.log.info(`took over ${events.length} launched gang(s)`);
    return events;
  }

  /** A gang just launched by this leader. */
  launched(job: Pick<JobRow, 'id' | 'launchedAt' | 'gangSpec'>): void {
    this.running.add(job.id);
    this.scheduleWallTime(job);
  }

  /** One gang event: its transaction, then what must follow the commit. */
  async apply(jobId: string, input: GangInput): Promise<GangTxResult> {
    const r = await runGangTransaction(this.ctx.ds, jobId, input, this.tx);
    this.ctx.afterCommit();
    await this.afterCommit(r);
    return r;
  }

  /** Launched gangs with a cancel request not applied yet: kill them (they end CANCELED). */
  async applyCancels(): Promise<void> {
    for (const { job } of await launchedJobs(this.ctx.ds)) {
      if (job.cancelRequestedAt && !isJobTerminal(job.state)) await this.apply(job.id, { type: 'cancel' });
    }
  }

  /** An agent is gone: every gang with a live task there fails (infrastructure). */
  async agentLost(agentId: string): Promise<void> {
    for (const { job, tasks } of await launchedJobs(this.ctx.ds)) {
      if (tasks.some((t) => t.agentId === agentId && !isTerminalState(t.state))) await this.apply(job.id, { type: 'agentLost', agentId });
    }
  }

  /** A task ended: no more KILLs for it. */
  taskEnded(taskId: string): void {
    this.killRetry.ended(taskId);
  }

  /** KILLs, sent without waiting for the answers (they come as task updates); re-sent while unanswered. */
  kill(refs: readonly TaskRef[]): void {
    if (refs.length === 0) return;
    this.killRetry.sentNow(refs, Date.now());
    const client = this.ctx.client();
    if (!client || !this.ctx.isSubscribed()) return;
    for (const ref of refs) {
      client.kill(ref.taskId, ref.agentId || undefined).catch((e: Error) => this.ctx.log.warn(`KILL of ${ref.taskId} failed (will retry): ${e.message}`));
    }
  }

  /** KILLs unanswered for the retry interval (all of them when `everything`: a new subscription). */
  resendKills(now: number, everything = false): void {
    if (this.ctx.isSubscribed()) this.kill(this.killRetry.due(everything ? Number.POSITIVE_INFINITY : now));
  }

  stop(): void {
    this.wallTimers.clear();
  }

  private scheduleWallTime(job: Pick<JobRow, 'id' | 'launchedAt' | 'gangSpec'>): void {
    const wall = job.gangSpec?.wallTimeSeconds ?? 0;
    if (!job.launchedAt || wall <= 0) return;
    this.wallTimers.at(job.id, job.launchedAt.getTime() + wall * 1000, () => this.ctx.enqueue(`wall time of ${job.id}`, () => this.apply(job.id, { type: 'tick' })));
  }

  private async afterCommit(r: GangTxResult): Promise<void> {
    const job = r.job;
    if (!job) return;
    const log = forJob(this.ctx.log, { experimentId: job.experimentId, processId: job.processId, jobId: job.id, attempt: job.attempt });
    if (r.active) log.info('ACTIVE: every rank runs');
    if (r.outcome) {
      const o = r.outcome.outcome;
      this.wallTimers.cancel(job.id);
      if (o.state === 'COMPLETE') log.info('COMPLETE');
      else log.warn(`${o.state}: ${o.reason}`);
    }
    this.kill(r.kills);
    if (r.ended) {
      this.running.delete(job.id);
      this.wallTimers.cancel(job.id);
      for (const t of r.ended.tasks) this.killRetry.ended(t.taskId);
      log.info(`settled (${r.ended.state}${r.ended.retried ? ', retried' : ''}); JobEnded sent`);
      const zk = this.ctx.zk();
      if (zk) await removeJobRendezvous(zk, this.ctx.cfg.zookeeper.root, job.id).catch((e: Error) => log.warn(`removing the rendezvous failed: ${e.message}`));
      await this.hooks.settled(job.id);
    }
    if (r.nextAttempt) {
      log.warn(`attempt ${r.nextAttempt.attempt} queued as job ${r.nextAttempt.id}`);
      await this.hooks.retryQueued();
    }
  }
}
