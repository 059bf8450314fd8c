/**
 * stage_runs, one row per (job, stage): the record that makes every stage idempotent. States:
 * queued → running → done | retry_wait (→ queued) | dead (out of attempts) | failed (permanent).
 */
export type StageRunState = 'queued' | 'running' | 'done' | 'retry_wait' | 'dead' | 'failed';
