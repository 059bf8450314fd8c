import { Db, jobDetail, JobDetail, queryOne } from '@msched/db';

/** What the job page shows beyond packages/db's jobDetail: the dispatcher's bookkeeping and files. */
export interface JobExtras {
  queuedAt: Date | null;
  launchedAt: Date | null;
  settledAt: Date | null;
  cancelRequestedAt: Date | null;
  waitReason: string | null;
  waitReasonAt: Date | null;
  /** When the dispatcher expects the waiting gang to start (kept after launch: what was expected). */
  expectedStartAt: Date | null;
  failureKind: string | null;
  stdOut: string | null;
  stdErr: string | null;
}

export interface JobPage extends JobDetail {
  extras: JobExtras;
}

export async function jobPage(db: Db, jobId: string): Promise<JobPage | undefined> {
  const detail = await jobDetail(db, jobId);
  if (!detail) return undefined;
  const extras = await queryOne<JobExtras>(db, `
    SELECT queued_at AS "queuedAt", launched_at AS "launchedAt", settled_at AS "settledAt",
           cancel_requested_at AS "cancelRequestedAt", wait_reason AS "waitReason", wait_reason_at AS "waitReasonAt",
           expected_start_at AS "expectedStartAt", failure_kind AS "failureKind", std_out AS "stdOut", std_err AS "stdErr"
    FROM jobs WHERE id = $1`, [jobId]);
  return { ...detail, extras: extras as JobExtras };
}

/** The experiment and gateway a job belongs to, for cancel. */
export async function jobOwner(db: Db, jobId: string): Promise<{ experimentId: string; gatewayId: string } | undefined> {
  return queryOne(db, `SELECT j.experiment_id AS "experimentId", e.gateway_id AS "gatewayId"
    FROM jobs j JOIN experiments e ON e.id = j.experiment_id WHERE j.id = $1`, [jobId]);
}

/** Where a job's outputs are collected (its working directory), for serving one of them. */
export async function jobWorkingDir(db: Db, jobId: string): Promise<string | undefined> {
  const r = await queryOne<{ dir: string | null }>(db, 'SELECT working_dir AS dir FROM jobs WHERE id = $1', [jobId]);
  return r?.dir ?? undefined;
}
