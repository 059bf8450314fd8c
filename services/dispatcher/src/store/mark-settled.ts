import type { Db } from '@msched/db';

export interface SettledJob {
  /** The launcher task's sandbox and its stdout/stderr files (Airavata JobModel workingDir, stdOut, stdErr). */
  readonly workingDir?: string;
  readonly stdOut?: string;
  readonly stdErr?: string;
}

/** Every task of the attempt has ended and its JobEnded is in the outbox: nothing more will happen to it. */
export async function markSettled(tx: Db, jobId: string, s: SettledJob): Promise<void> {
  await tx.query(`UPDATE jobs SET settled_at = now(), wait_reason = NULL, working_dir = coalesce($2, working_dir),
    std_out = coalesce($3, std_out), std_err = coalesce($4, std_err), updated_at = now() WHERE id = $1`,
  [jobId, s.workingDir ?? null, s.stdOut ?? null, s.stdErr ?? null]);
}
