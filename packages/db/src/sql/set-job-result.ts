import type { Db } from './db';

export interface JobResult {
  reason?: string;
  exitCode?: number;
  failedRank?: number;
}

/** Stores what a job's state change says about its result; fields not given keep their value. */
export async function setJobResult(tx: Db, jobId: string, r: JobResult): Promise<void> {
  await tx.query('UPDATE jobs SET reason = coalesce($2, reason), exit_code = coalesce($3, exit_code), failed_rank = coalesce($4, failed_rank) WHERE id = $1',
    [jobId, r.reason ?? null, r.exitCode ?? null, r.failedRank ?? null]);
}
