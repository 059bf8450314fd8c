import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ExperimentRow } from './experiment';

/** Airavata's ProcessModel: the one execution we make of an experiment. */
@Entity('processes')
@Index('processes_experiment_idx', ['experimentId'])
export class ProcessRow {
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'experiment_id' })
  experimentId: string;

  @ManyToOne(() => ExperimentRow, { nullable: false })
  @JoinColumn({ name: 'experiment_id', foreignKeyConstraintName: 'processes_experiment_id_fkey' })
  experiment?: ExperimentRow;

  /** ProcessState name. */
  @Column('text')
  state: string;

  /** The ComputationalResourceSchedulingModel in force, as plain JSON. */
  @Column('jsonb', { name: 'resource_schedule' })
  resourceSchedule: Record<string, unknown>;

  @Column('text', { name: 'application_interface_id', nullable: true })
  applicationInterfaceId: string | null;

  @Column('text', { name: 'application_deployment_id', nullable: true })
  applicationDeploymentId: string | null;

  @Column('text', { name: 'compute_resource_id' })
  computeResourceId: string;

  @Column('text', { name: 'experiment_data_dir', nullable: true })
  experimentDataDir: string | null;

  /** The ProcessModel as plain JSON. */
  @Column('jsonb')
  model: Record<string, unknown>;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
