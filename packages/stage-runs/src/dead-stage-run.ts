import type { StageName, StageWork } from '@msched/model';

export interface DeadStageRun {
  id: string;
  stage: StageName;
  jobId: string;
  processId: string;
  experimentId: string;
  attempts: number;
  lastError: string;
  deadAt: Date;
  work: StageWork;
}

/** The columns of a DeadStageRun; the stage_runs row aliased `s`, its process `p`. */
export const DEAD_STAGE_RUN_COLUMNS = `s.id::text AS id, s.stage, s.job_id AS "jobId", s.process_id AS "processId", p.experiment_id AS "experimentId",
      s.attempts, s.last_error AS "lastError", s.dead_at AS "deadAt", s.work`;
