import type { Db } from './db';

export interface JobOutputs {
  /** Where the job's outputs were collected. */
  workingDir: string;
  stdout?: string;
  stderr?: string;
}

/** Records where a job's outputs went and its launcher's stdout/stderr (kept when not given). */
export async function saveJobOutputs(tx: Db, jobId: string, o: JobOutputs): Promise<void> {
  await tx.query('UPDATE jobs SET working_dir = $2, std_out = coalesce($3, std_out), std_err = coalesce($4, std_err), updated_at = now() WHERE id = $1',
    [jobId, o.workingDir, o.stdout ?? null, o.stderr ?? null]);
}
