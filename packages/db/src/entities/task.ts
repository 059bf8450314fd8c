import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { JobRow } from './job';

/** One Mesos task of a gang: all the ranks placed on one agent. */
@Entity('tasks')
@Index('tasks_job_idx', ['jobId'])
@Index('tasks_live_idx', ['state'], { where: `state NOT IN ('TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE')` })
export class TaskRow {
  /** The Mesos TaskID. */
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'job_id' })
  jobId: string;

  @ManyToOne(() => JobRow, { nullable: false })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'tasks_job_id_fkey' })
  job?: JobRow;

  @Column('text', { name: 'agent_id', nullable: true })
  agentId: string | null;

  @Column('text', { nullable: true })
  hostname: string | null;

  /** MPI ranks this task runs. */
  @Column('integer', { array: true, default: () => "'{}'" })
  ranks: number[];

  /** Mesos TaskState name (TASK_RUNNING, ...). */
  @Column('text')
  state: string;

  /** uuid of the last status update, to acknowledge and to drop duplicates. */
  @Column('text', { name: 'last_update_uuid', nullable: true })
  lastUpdateUuid: string | null;

  @Column('timestamptz', { name: 'last_update_at', nullable: true })
  lastUpdateAt: Date | null;

  @Column('text', { name: 'sandbox_path', nullable: true })
  sandboxPath: string | null;

  @Column('integer', { name: 'exit_code', nullable: true })
  exitCode: number | null;

  @Column('text', { nullable: true })
  message: string | null;

  /** Position of the task in its gang (dispatcher bookkeeping). */
  @Column('integer', { name: 'task_index', nullable: true })
  taskIndex: number | null;

  /** The task that runs the MPI launcher (its stdout is the job's). */
  @Column('boolean', { default: false })
  launcher: boolean;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
