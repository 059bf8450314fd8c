/**
 * @msched/stage-runs: the provisioning pipeline's stage_runs table (one operation per file) and
 * the outbox message that queues a stage. The provisioner runs stages with it; msched dlq lists and
 * replays dead-lettered ones.
 */
export * from './stage-run-state';
export * from './claim-stage-run';
export * from './complete-stage-run';
export * from './schedule-retry';
export * from './end-stage-run';
export * from './take-due-retries';
export * from './next-retry-due-in';
export * from './mark-queued';
export * from './dead-stage-run';
export * from './list-dead-stage-runs';
export * from './lock-dead-stage-run';
export * from './reset-for-replay';
export * from './stage-queue-depth';
export * from './queue-stage';
export * from './queue-stage-in-turn';
export * from './stage-to-resume';
export * from './stage-run-exists';
export * from './stage-subject';
export * from './replay-dead-stage';
