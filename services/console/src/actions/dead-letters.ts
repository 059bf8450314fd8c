import type { DataSource } from 'typeorm';
import { notifyOutbox } from '@msched/db';
import { listDeadStageRuns, replayDeadStage, ReplayError } from '@msched/stage-runs';

/** One dead-lettered provisioning stage as the console lists it. */
export interface DeadLetterView {
  id: string;
  stage: string;
  jobId: string;
  experimentId: string;
  attempts: number;
  lastError: string;
  deadAt: Date;
}

export class ReplayRefused extends Error {}

/**
 * The same list and replay as the CLI's `msched dlq` (@msched/stage-runs), so a
 * replay from the console is exactly a replay from the CLI: fresh attempts, the process requeued
 * and the override recorded in the history with the operator's name.
 */
export async function listDeadLetters(ds: DataSource): Promise<DeadLetterView[]> {
  return (await listDeadStageRuns(ds)).map(({ id, stage, jobId, experimentId, attempts, lastError, deadAt }) => ({ id, stage, jobId, experimentId, attempts, lastError, deadAt }));
}

export async function replayDeadLetter(ds: DataSource, id: string, operator: string): Promise<{ stage: string; jobId: string; experimentId: string }> {
  try {
    const r = await replayDeadStage(ds, id, `console:${operator}`);
    // Wake the outbox relays now rather than at their next poll.
    await notifyOutbox(ds).catch(() => undefined);
    return r;
  } catch (e) {
    if (e instanceof ReplayError) throw new ReplayRefused(e.message);
    throw e;
  }
}
