import type { StageName, StageWork } from './stage-work';

/** Topic `dlq`: a stage that ran out of attempts, with the work to replay and the last error. */
export const DEAD_LETTER_TYPE = 'stage.dead';
export interface DeadLetter {
  work: StageWork;
  stage: StageName;
  attempts: number;
  error: string;
  at: string;
}
