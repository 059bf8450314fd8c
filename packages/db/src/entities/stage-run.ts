import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { JobRow } from './job';
import { ProcessRow } from './process';

/** One provisioning stage of one job, with its attempts (used by the provisioner). */
@Entity('stage_runs')
@Unique('stage_runs_job_stage_key', ['jobId', 'stage'])
@Index('stage_runs_due_idx', ['nextAttemptAt'], { where: `state = 'retry_wait'` })
@Index('stage_runs_dead_idx', ['deadAt'], { where: `state = 'dead'` })
export class StageRunRow {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('text', { name: 'process_id' })
  processId: string;

  @ManyToOne(() => ProcessRow, { nullable: false })
  @JoinColumn({ name: 'process_id', foreignKeyConstraintName: 'stage_runs_process_id_fkey' })
  process?: ProcessRow;

  @Column('text', { name: 'job_id' })
  jobId: string;

  @ManyToOne(() => JobRow, { nullable: false })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'stage_runs_job_id_fkey' })
  job?: JobRow;

  @Column('text')
  stage: string;

  @Column('text')
  state: string;

  @Column('integer', { default: 0 })
  attempts: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;

  // Delayed retries and dead letters (migration StageRetries1763780400100).
  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt: Date | null;

  /** The work item the stage runs, kept to retry or replay it. */
  @Column('jsonb', { nullable: true })
  work: Record<string, unknown> | null;

  @Column('timestamptz', { name: 'dead_at', nullable: true })
  deadAt: Date | null;

  @Column('timestamptz', { name: 'replayed_at', nullable: true })
  replayedAt: Date | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
