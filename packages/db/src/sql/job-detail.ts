import { Db, queryOne, queryRows } from './db';
import { JobOverview, JOB_OVERVIEW_COLUMNS, JOB_OVERVIEW_FROM } from './list-jobs';

export interface JobTask {
  taskId: string;
  agentId: string | null;
  hostname: string | null;
  ranks: number[];
  state: string;
  exitCode: number | null;
  message: string | null;
  sandboxPath: string | null;
  lastUpdateAt: Date | null;
}

export interface JobHistoryEntry {
  historyId: string;
  entityType: string;
  entityId: string;
  state: string;
  reason: string | null;
  source: string;
  at: Date;
}

export interface JobDetail {
  job: JobOverview & { gangSpec: Record<string, unknown> | null; workingDir: string | null; frameworkId: string | null };
  tasks: JobTask[];
  /** The job's, its tasks', its process' and its experiment's status changes, in order. */
  history: JobHistoryEntry[];
}

/** A job with its tasks and its history (views job_overview, job_tasks, job_history). */
export async function jobDetail(db: Db, jobId: string): Promise<JobDetail | undefined> {
  const job = await queryOne<JobDetail['job']>(db, `
    SELECT ${JOB_OVERVIEW_COLUMNS}, j.gang_spec AS "gangSpec", j.working_dir AS "workingDir", j.framework_id AS "frameworkId"
    FROM ${JOB_OVERVIEW_FROM} JOIN jobs j ON j.id = o.job_id WHERE o.job_id = $1`, [jobId]);
  if (!job) return undefined;
  const tasks = await queryRows<JobTask>(db, `
    SELECT task_id AS "taskId", agent_id AS "agentId", hostname, ranks, state, exit_code AS "exitCode", message,
           sandbox_path AS "sandboxPath", last_update_at AS "lastUpdateAt"
    FROM job_tasks WHERE job_id = $1 ORDER BY created_at, task_id`, [jobId]);
  const history = await queryRows<JobHistoryEntry>(db, `
    SELECT history_id AS "historyId", entity_type AS "entityType", entity_id AS "entityId", state, reason, source, at
    FROM job_history WHERE job_id = $1 ORDER BY history_id`, [jobId]);
  return { job, tasks, history };
}
