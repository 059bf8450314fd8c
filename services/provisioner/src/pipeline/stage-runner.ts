import type { DataSource } from 'typeorm';
import { enqueueOutbox, processState, withTransaction } from '@msched/db';
import { forJob, Logger } from '@msched/logging';
import { backoffDelay, BackoffPolicy } from '@msched/retry';
import type { Metrics } from '@msched/observability';
import { recordTransition } from '@msched/state-recorder';
import { DEAD_LETTER_TYPE, DeadLetter, nextStage, StageName, StageWork } from '@msched/model';
import type { Stage } from './stage';
import { isPermanent } from './stage-error';
import { claimStageRun, completeStageRun, endStageRun, PROVISIONER_SOURCE, queueStage, scheduleRetry, subjectOf } from '@msched/stage-runs';

export interface RunnerOptions {
  ds: DataSource;
  logger: Logger;
  stages: ReadonlyMap<StageName, Stage>;
  maxAttempts: number;
  backoff: BackoffPolicy;
  timeoutMs: number;
  metrics?: Metrics;
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
 * transaction mark it done, apply its decisions and queue the next stage. A failure is retried by
 * delayed redelivery (stage_runs.next_attempt_at, see RetryScheduler) or, when permanent or out of
 * attempts, fails the process with the error (out of attempts also dead-letters the work).
 */
export class StageRunner {
  constructor(private readonly o: RunnerOptions) {}

  async handle(w: StageWork): Promise<'done' | 'skipped' | 'retry' | 'dead' | 'failed'> {
    const stage = this.o.stages.get(w.stage);
    if (!stage) throw new Error(`no stage ${w.stage} in this provisioner`);
    const log = forJob(this.o.logger, { experimentId: w.experimentId, processId: w.processId, jobId: w.jobId });
    const claim = await withTransaction(this.o.ds, async (tx) => {
      const c = await claimStageRun(tx, w);
      if (c && c.attempts === 1) {
        await recordTransition(tx, { entity: 'process', id: w.processId, to: stage.processState, source: SOURCE, subject: subjectOf(w) });
      }
      return c;
    });
    if (!claim) {
      log.info(`stage ${w.stage} already finished: redelivery ignored`);
      return 'skipped';
    }
    if (PRE_DISPATCH.has(w.stage) && (await this.cancelIfRequested(w))) {
      log.info(`stage ${w.stage} not run: the experiment was terminated`);
      return 'skipped';
    }
    const ctx = { work: w, attempt: claim.attempts, ds: this.o.ds, logger: log };
    log.info(`stage ${w.stage} attempt ${claim.attempts} started`);
    let result: unknown;
    try {
      result = await withTimeout(stage.run(ctx), this.o.timeoutMs, `stage ${w.stage}`);
    } catch (e) {
      return this.fail(w, claim.attempts, e as Error, log);
    }
    await withTransaction(this.o.ds, async (tx) => {
      if (!(await completeStageRun(tx, w.jobId, w.stage))) return; // another run finished it meanwhile
      await stage.commit?.(tx, ctx, result);
      const next = stage.continues === false ? undefined : nextStage(w.stage);
      if (next) await queueStage(tx, { ...w, stage: next });
    });
    this.o.metrics?.stageRuns.inc({ stage: w.stage, outcome: 'done' });
    log.info(`stage ${w.stage} done`);
    return 'done';
  }

  /** A terminate that arrives before the gang was handed off ends the pipeline here. */
  private async cancelIfRequested(w: StageWork): Promise<boolean> {
    return withTransaction(this.o.ds, async (tx) => {
      const state = await processState(tx, w.processId);
      if (state !== 'CANCELLING' && state !== 'CANCELED') return false;
      await endStageRun(tx, w.jobId, w.stage, 'failed', 'terminated before the gang was handed to the dispatcher');
      const reason = 'terminated before the gang started';
      await recordTransition(tx, { entity: 'job', id: w.jobId, to: 'CANCELED', reason, source: SOURCE, subject: subjectOf(w) });
      await recordTransition(tx, { entity: 'process', id: w.processId, to: 'CANCELED', reason, source: SOURCE, subject: subjectOf(w) });
      return true;
    });
  }

  private async fail(w: StageWork, attempts: number, err: Error, log: Logger): Promise<'retry' | 'dead' | 'failed'> {
    const message = err.message || String(err);
    const permanent = isPermanent(err);
    const outOfAttempts = attempts >= this.o.maxAttempts;
    if (!permanent && !outOfAttempts) {
      const delay = backoffDelay(attempts - 1, this.o.backoff);
      await withTransaction(this.o.ds, (tx) => scheduleRetry(tx, w.jobId, w.stage, message, delay));
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
