import type { DataSource } from 'typeorm';
import { Db, enqueueOutbox, processState, withTransaction } from '@msched/db';
import { forJob, Logger } from '@msched/logging';
import { backoffDelay, BackoffPolicy } from '@msched/retry';
import type { Metrics } from '@msched/observability';
import { recordTransition } from '@msched/state-recorder';
import { DEAD_LETTER_TYPE, DeadLetter, nextStage, StageName, STAGES, StageWork } from '@msched/model';
import type { Stage } from './stage';
import { isPermanent } from './stage-error';
import { claimStageRun, completeStageRun, endStageRun, PROVISIONER_SOURCE, queueStage, queueStageInTurn, scheduleRetry, stageRunExists, stageToResume, subjectOf } from '@msched/stage-runs';

export interface RunnerOptions {
  ds: DataSource;
  logger: Logger;
  stages: ReadonlyMap<StageName, Stage>;
  maxAttempts: number;
  backoff: BackoffPolicy;
  timeoutMs: number;
  metrics?: Metrics;
  /**
   * Run the next stage in the same consumer turn when this runner has it (default true): no outbox
   * message, relay and Kafka hop between consecutive stages. Each stage still has its own claim,
   * attempts, retries and transactions in stage_runs.
   */
  chain?: boolean;
  /**
   * Called after each committed transaction of a stage that may have written outbox rows (claimed:
   * its first attempt began; done; ended: failed, retrying or cancelled), to wake the relay at once.
   */
  committed?: (w: StageWork, what: 'claimed' | 'done' | 'ended') => void;
  /** Called after a retry was scheduled (wakes the retry scheduler, which sleeps until the next one is due). */
  retryScheduled?: () => void;
}

export type StageOutcome = 'done' | 'skipped' | 'retry' | 'dead' | 'failed';

/** What one stage run came to, and the stage queued to run next in the same turn, if any. */
interface StageStep {
  outcome: StageOutcome;
  next?: StageWork;
}

const SOURCE = PROVISIONER_SOURCE;

const PRE_DISPATCH = new Set<StageName>(['resolve', 'capacity', 'stage-inputs', 'handoff']);

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms); }),
  ]);
}

/**
 * Runs one stage for one job: claim (idempotent: a finished stage is skipped), effect, then in one
 * transaction mark it done, apply its decisions and queue the next stage. With `chain`, the next
 * stage is queued as a stage_runs row and run at once in the same turn (consumer turn = the
 * handling of one Kafka message); a message that comes again after a crash resumes the chain at the
 * first stage not done. A failure is retried by delayed redelivery (stage_runs.next_attempt_at,
 * see RetryScheduler) or, when permanent or out of attempts, fails the process with the error (out
 * of attempts also dead-letters the work); either ends the turn.
 */
export class StageRunner {
  constructor(private readonly o: RunnerOptions) {}

  get chains(): boolean {
    return this.o.chain !== false;
  }

  /**
   * For a message delivered again (its processed_messages row says so): runs `w`'s stage only if
   * it was queued, so a chain cut short resumes, and a stage queued through Kafka is left to its
   * own message.
   */
  async resume(w: StageWork): Promise<StageOutcome> {
    if (!(await stageRunExists(this.o.ds, w.jobId, w.stage))) return 'skipped';
    return this.handle(w);
  }

  /** Runs `w`'s stage and then every stage queued in the same turn; the outcome is `w`'s. */
  async handle(w: StageWork): Promise<StageOutcome> {
    const first = await this.runStage(w);
    let next = first.next;
    // A chain only moves forward, so it is never longer than the list of stages.
    for (let n = 0; next && n < STAGES.length; n++) next = (await this.runStage(next)).next;
    return first.outcome;
  }

  private async runStage(w: StageWork): Promise<StageStep> {
    const stage = this.o.stages.get(w.stage);
    if (!stage) throw new Error(`no stage ${w.stage} in this provisioner`);
    const log = forJob(this.o.logger, { experimentId: w.experimentId, processId: w.processId, jobId: w.jobId });
    // One transaction claims the stage and, before dispatch, ends it when a terminate came first.
    const claimed = await withTransaction(this.o.ds, async (tx) => {
      const c = await claimStageRun(tx, w);
      if (!c) return undefined;
      if (c.attempts === 1) {
        await recordTransition(tx, { entity: 'process', id: w.processId, to: stage.processState, source: SOURCE, subject: subjectOf(w) });
      }
      const cancelled = PRE_DISPATCH.has(w.stage) && (await this.cancelIfRequested(tx, w));
      return { claim: c, cancelled };
    });
    if (claimed && (claimed.claim.attempts === 1 || claimed.cancelled)) this.o.committed?.(w, claimed.cancelled ? 'ended' : 'claimed'); // state changes went out with it
    if (!claimed) {
      // Also with chaining off: a chain a crash cut short before it was turned off still resumes.
      const following = stage.continues === false ? undefined : nextStage(w.stage);
      const next = following && this.o.stages.has(following) ? await stageToResume(this.o.ds, w.jobId, w.stage, following) : undefined;
      log.info(next ? `stage ${w.stage} already finished: resuming at ${next.stage}` : `stage ${w.stage} already finished: redelivery ignored`);
      return { outcome: 'skipped', next };
    }
    if (claimed.cancelled) {
      log.info(`stage ${w.stage} not run: the experiment was terminated`);
      return { outcome: 'skipped' };
    }
    const claim = claimed.claim;
    const ctx = { work: w, attempt: claim.attempts, ds: this.o.ds, logger: log };
    log.info(`stage ${w.stage} attempt ${claim.attempts} started`);
    let result: unknown;
    try {
      result = await withTimeout(stage.run(ctx), this.o.timeoutMs, `stage ${w.stage}`);
    } catch (e) {
      const outcome = await this.fail(w, claim.attempts, e as Error, log);
      this.o.committed?.(w, 'ended');
      return { outcome };
    }
    const next = await withTransaction(this.o.ds, async (tx) => {
      if (!(await completeStageRun(tx, w.jobId, w.stage))) return undefined; // another run finished it meanwhile (and goes on from there)
      await stage.commit?.(tx, ctx, result);
      const following = stage.continues === false ? undefined : nextStage(w.stage);
      if (!following) return undefined;
      const work: StageWork = { ...w, stage: following };
      if (this.inTurnSuccessor(stage)) {
        await queueStageInTurn(tx, work);
        return work;
      }
      await queueStage(tx, work);
      return undefined;
    });
    this.o.committed?.(w, 'done');
    this.o.metrics?.stageRuns.inc({ stage: w.stage, outcome: 'done' });
    log.info(`stage ${w.stage} done`);
    return { outcome: 'done', next };
  }

  /** Whether the stage after `stage` runs in the same turn: chaining is on and this runner has it. */
  private inTurnSuccessor(stage: Stage): boolean {
    if (!this.chains || stage.continues === false) return false;
    const following = nextStage(stage.name);
    return following !== undefined && this.o.stages.has(following);
  }

  /** A terminate that arrives before the gang was handed off ends the pipeline here (in the claim's transaction). */
  private async cancelIfRequested(tx: Db, w: StageWork): Promise<boolean> {
    const state = await processState(tx, w.processId);
    if (state !== 'CANCELLING' && state !== 'CANCELED') return false;
    await endStageRun(tx, w.jobId, w.stage, 'failed', 'terminated before the gang was handed to the dispatcher');
    const reason = 'terminated before the gang started';
    await recordTransition(tx, { entity: 'job', id: w.jobId, to: 'CANCELED', reason, source: SOURCE, subject: subjectOf(w) });
    await recordTransition(tx, { entity: 'process', id: w.processId, to: 'CANCELED', reason, source: SOURCE, subject: subjectOf(w) });
    return true;
  }

  private async fail(w: StageWork, attempts: number, err: Error, log: Logger): Promise<'retry' | 'dead' | 'failed'> {
    const message = err.message || String(err);
    const permanent = isPermanent(err);
    const outOfAttempts = attempts >= this.o.maxAttempts;
    if (!permanent && !outOfAttempts) {
      const delay = backoffDelay(attempts - 1, this.o.backoff);
      await withTransaction(this.o.ds, (tx) => scheduleRetry(tx, w.jobId, w.stage, message, delay));
      this.o.retryScheduled?.();
      this.o.metrics?.stageRuns.inc({ stage: w.stage, outcome: 'retry' });
      log.warn(`stage ${w.stage} attempt ${attempts} failed, retrying in ${delay} ms: ${message}`);
      return 'retry';
    }
    const reason = permanent ? `${w.stage}: ${message}` : `${w.stage} failed after ${attempts} attempts: ${message}`;
    await withTransaction(this.o.ds, async (tx) => {
      await endStageRun(tx, w.jobId, w.stage, permanent ? 'failed' : 'dead', message);
      if (!permanent) {
        const dl: DeadLetter = { work: w, stage: w.stage, attempts, error: message, at: new Date().toISOString() };
        await enqueueOutbox(tx, { topic: 'deadLetter', key: w.experimentId, type: DEAD_LETTER_TYPE, payload: dl });
      }
      await recordTransition(tx, { entity: 'process', id: w.processId, to: 'FAILED', reason, source: SOURCE, subject: subjectOf(w) });
    });
    this.o.metrics?.stageRuns.inc({ stage: w.stage, outcome: permanent ? 'failed' : 'dead' });
    log.error(`process FAILED: ${reason}`);
    return permanent ? 'failed' : 'dead';
  }
}
