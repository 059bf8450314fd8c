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
