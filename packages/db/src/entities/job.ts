import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { ExperimentRow } from './experiment';
import { ProcessRow } from './process';

/** One launch attempt of a process, run as one gang (Airavata's JobModel). */
@Entity('jobs')
@Unique('jobs_process_attempt_key', ['processId', 'attempt'])
@Index('jobs_state_idx', ['state'])
@Index('jobs_experiment_idx', ['experimentId'])
@Index('jobs_unsettled_idx', ['state'], { where: 'settled_at IS NULL' })
// (created_at DESC, id DESC) for the console's newest-first pages: TypeORM cannot say DESC, so the
// migration owns it and the schema comparison leaves it alone.
@Index('jobs_newest_idx', { synchronize: false })
// Launched jobs by end time: the usage fair share derives at a dispatcher's takeover (issue 23).
@Index('jobs_usage_idx', ['settledAt'], { where: 'launched_at IS NOT NULL' })
// A gateway's launches not running yet, for its waiting-gangs quota; the predicate (state NOT IN
// ...) is PostgreSQL's to normalize, so the migration owns it as jobs_newest_idx above.
@Index('jobs_unlaunched_idx', { synchronize: false })
@Check('jobs_attempt_check', '"attempt" >= 1')
export class JobRow {
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'process_id' })
  processId: string;

  @ManyToOne(() => ProcessRow, { nullable: false })
  @JoinColumn({ name: 'process_id', foreignKeyConstraintName: 'jobs_process_id_fkey' })
  process?: ProcessRow;

  @Column('text', { name: 'experiment_id' })
  experimentId: string;

  @ManyToOne(() => ExperimentRow, { nullable: false })
  @JoinColumn({ name: 'experiment_id', foreignKeyConstraintName: 'jobs_experiment_id_fkey' })
  experiment?: ExperimentRow;

  /** Airavata task id of the JOB_SUBMISSION task this job belongs to (JobModel.taskId). */
  @Column('text', { name: 'task_id' })
  taskId: string;

  @Column('integer')
  attempt: number;

  /** JobState name. */
  @Column('text')
  state: string;

  /** The GangSpec (@msched/model), set once the provisioner has resolved it. */
  @Column('jsonb', { name: 'gang_spec', nullable: true })
  gangSpec: Record<string, unknown> | null;

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('integer', { name: 'exit_code', nullable: true })
  exitCode: number | null;

  @Column('integer', { name: 'failed_rank', nullable: true })
  failedRank: number | null;

  @Column('text', { name: 'framework_id', nullable: true })
  frameworkId: string | null;

  @Column('text', { name: 'working_dir', nullable: true })
  workingDir: string | null;

  @Column('text', { name: 'std_out', nullable: true })
  stdOut: string | null;

  @Column('text', { name: 'std_err', nullable: true })
  stdErr: string | null;

  // Dispatcher bookkeeping (migration DispatcherBookkeeping1763780400200).
  @Column('timestamptz', { name: 'queued_at', nullable: true })
  queuedAt: Date | null;

  @Column('timestamptz', { name: 'launched_at', nullable: true })
  launchedAt: Date | null;

  /** When the gang's end was reported (JobEnded sent). */
  @Column('timestamptz', { name: 'settled_at', nullable: true })
  settledAt: Date | null;

  @Column('timestamptz', { name: 'cancel_requested_at', nullable: true })
  cancelRequestedAt: Date | null;

  @Column('text', { name: 'cancel_reason', nullable: true })
  cancelReason: string | null;

  /** Why the gang is still waiting for offers. */
  @Column('text', { name: 'wait_reason', nullable: true })
  waitReason: string | null;

  @Column('timestamptz', { name: 'wait_reason_at', nullable: true })
  waitReasonAt: Date | null;

  /** When the leading dispatcher expects the waiting gang to start (issue 23); null when unknown. */
  @Column('timestamptz', { name: 'expected_start_at', nullable: true })
  expectedStartAt: Date | null;

  /** The expected start last told to Airavata in a status reason, and when it was told. */
  @Column('timestamptz', { name: 'start_announced_for', nullable: true })
  startAnnouncedFor: Date | null;

  @Column('timestamptz', { name: 'start_announced_at', nullable: true })
  startAnnouncedAt: Date | null;

  @Column('text', { name: 'failure_kind', nullable: true })
  failureKind: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
