import { Db, queryRows } from './db';

/** One row of the job_overview view (docs/operators.md). */
export interface JobOverview {
  jobId: string;
  experimentId: string;
  processId: string;
  taskId: string;
  attempt: number;
  state: string;
  reason: string | null;
  exitCode: number | null;
  failedRank: number | null;
  gatewayId: string;
  userName: string;
  experimentName: string;
  experimentState: string;
  processState: string;
  computeResourceId: string;
  queueName: string | null;
  totalCpuCount: number | null;
  taskCount: number;
  createdAt: Date;
  updatedAt: Date;
  /** Why the offer policy holds the gang back (set while it waits, cleared at launch). */
  waitReason: string | null;
  waitReasonAt: Date | null;
  queuedAt: Date | null;
  launchedAt: Date | null;
  settledAt: Date | null;
  /** Seconds from queued to launched (to now while waiting); null before it is queued. */
  waitSeconds: number | null;
  /** Seconds from launched to settled (to now while running); null before launch. */
  runSeconds: number | null;
  /**
   * When the leading dispatcher expects the gang to start (saved while it waits, kept after its
   * launch so the two can be compared); null when it cannot tell or never judged it.
   */
  expectedStartAt: Date | null;
  /** WORKFLOW experiments: the WorkflowApplication.id this job runs and its ApplicationState; null for a single application. */
  workflowApplication: string | null;
  applicationState: string | null;
}

/** Whether a job is still waiting to run (its expected start and wait reason are current). */
export function isWaitingJob(j: Pick<JobOverview, 'launchedAt' | 'settledAt' | 'state'>): boolean {
  return j.launchedAt === null && j.settledAt === null && (j.state === 'SUBMITTED' || j.state === 'QUEUED');
}

/** The job_overview columns under their TypeScript names; select them FROM JOB_OVERVIEW_FROM. */
export const JOB_OVERVIEW_COLUMNS = `o.job_id AS "jobId", o.experiment_id AS "experimentId", o.process_id AS "processId",
  o.task_id AS "taskId", o.attempt, o.state, o.reason, o.exit_code AS "exitCode", o.failed_rank AS "failedRank",
  o.gateway_id AS "gatewayId", o.user_name AS "userName", o.experiment_name AS "experimentName",
  o.experiment_state AS "experimentState", o.process_state AS "processState", o.compute_resource_id AS "computeResourceId",
  o.queue_name AS "queueName", o.total_cpu_count AS "totalCpuCount", o.task_count AS "taskCount",
  o.created_at AS "createdAt", o.updated_at AS "updatedAt",
  o.wait_reason AS "waitReason", o.wait_reason_at AS "waitReasonAt", o.queued_at AS "queuedAt", o.launched_at AS "launchedAt",
  o.settled_at AS "settledAt", o.wait_seconds AS "waitSeconds", o.run_seconds AS "runSeconds", o.expected_start_at AS "expectedStartAt",
  wn.node_id AS "workflowApplication", wn.state AS "applicationState"`;

/** The view aliased `o`, with the workflow application a job's process runs as (workflow_nodes.process_id is unique). */
export const JOB_OVERVIEW_FROM = 'job_overview o LEFT JOIN workflow_nodes wn ON wn.process_id = o.process_id';

export interface ListJobsFilter {
  /** JobState name. */
  state?: string;
  limit?: number;
}

/** Jobs, newest first, optionally of one state. */
export async function listJobs(db: Db, f: ListJobsFilter = {}): Promise<JobOverview[]> {
  return queryRows<JobOverview>(db, `
    SELECT ${JOB_OVERVIEW_COLUMNS} FROM ${JOB_OVERVIEW_FROM}
    WHERE ($1::text IS NULL OR o.state = $1)
    ORDER BY o.created_at DESC, o.job_id
    LIMIT $2`, [f.state ?? null, f.limit ?? 100]);
}
