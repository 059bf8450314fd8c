import { withTransaction } from '@msched/db';
import type { OfferPolicy, WaitingGang } from '@msched/gang';
import { recordReason } from '@msched/state-recorder';
import { Announced, needsSave, SavedEstimate, shouldAnnounce, startReason } from '../policy/start-estimates';
import { SOURCE, subjectOf } from '../status/subject';
import { findJob } from '../store/find-job';
import { announcedStarts } from '../store/announced-starts';
import { markStartAnnounced } from '../store/mark-start-announced';
import { saveWaitEstimates, type WaitEstimate } from '../store/save-wait-estimates';
import type { LeaderContext } from './leader-context';

/** The job stopped waiting between the estimate and its announcement: nothing is written. */
class NoLongerWaiting extends Error {}

/** Gangs estimated per role, the first in line: past them an estimate says little and costs a pass. */
const ESTIMATED_PER_ROLE = 1000;

/**
 * The leader's periodic pass over the waiting gangs: saves each one's wait reason and expected
 * start when they changed (jobs.wait_reason, jobs.expected_start_at), and tells Airavata a new
 * expected start when it moved meaningfully (policy/start-estimates.ts), as a status reason of the
 * waiting job.
 */
export class WaitEstimates {
  private readonly saved = new Map<string, SavedEstimate>();
  private readonly announced = new Map<string, Announced>();
  /** Gangs whose earlier announcement (by any leader) was read from the database. */
  private readonly looked = new Set<string>();

  constructor(private readonly ctx: LeaderContext, private readonly policy: OfferPolicy) {}

  async pass(now = Date.now()): Promise<void> {
    const waiting = this.policy.waiting();
    this.forgetGone(waiting);
    const starts = this.policy.expectedStarts(now, ESTIMATED_PER_ROLE);
    const reasons = this.policy.explainAll(now);
    const batch: WaitEstimate[] = [];
    for (const g of waiting) {
      const reason = reasons.get(g.gangId) ?? 'waiting for offers';
      const expectedStart = starts.get(g.gangId);
      if (needsSave(this.saved.get(g.gangId), reason, expectedStart, now)) batch.push({ jobId: g.gangId, reason, expectedStart });
    }
    await saveWaitEstimates(this.ctx.ds, batch);
    for (const e of batch) this.saved.set(e.jobId, { reason: e.reason, expectedStart: e.expectedStart, savedAt: now });
    await this.announce(waiting, starts, now);
  }

  private async announce(waiting: readonly WaitingGang[], starts: ReadonlyMap<string, number | undefined>, now: number): Promise<void> {
    const unread = waiting.map((g) => g.gangId).filter((id) => starts.get(id) !== undefined && !this.looked.has(id));
    if (unread.length) {
      for (const [id, a] of await announcedStarts(this.ctx.ds, unread)) this.announced.set(id, a);
      for (const id of unread) this.looked.add(id);
    }
    for (const g of waiting) {
      const expectedStart = starts.get(g.gangId);
      if (expectedStart === undefined || !shouldAnnounce(expectedStart, this.announced.get(g.gangId), now)) continue;
      if (await this.tell(g.gangId, expectedStart, now)) this.announced.set(g.gangId, { expectedStart, at: now });
    }
  }

  /** One announcement: the status reason and the note that it was made, in one transaction. */
  private async tell(jobId: string, expectedStart: number, now: number): Promise<boolean> {
    const job = await findJob(this.ctx.ds, jobId);
    if (!job) return false;
    try {
      await withTransaction(this.ctx.ds, async (tx) => {
        const recorded = await recordReason(tx, { entity: 'job', id: jobId, state: 'QUEUED', reason: startReason(expectedStart, now), source: SOURCE, subject: subjectOf(job) });
        if (!recorded || !(await markStartAnnounced(tx, jobId, expectedStart, now))) throw new NoLongerWaiting();
      });
    } catch (e) {
      if (e instanceof NoLongerWaiting) return false;
      throw e;
    }
    this.ctx.afterCommit();
    return true;
  }

  private forgetGone(waiting: readonly WaitingGang[]): void {
    const ids = new Set(waiting.map((g) => g.gangId));
    for (const m of [this.saved, this.announced]) for (const id of m.keys()) if (!ids.has(id)) m.delete(id);
    for (const id of this.looked) if (!ids.has(id)) this.looked.delete(id);
  }
}
