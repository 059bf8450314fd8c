import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One Airavata experiment as it was launched. `id` is Airavata's experimentId. */
@Entity('experiments')
@Index('experiments_gateway_idx', ['gatewayId'])
@Index('experiments_user_idx', ['userName'])
export class ExperimentRow {
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'gateway_id' })
  gatewayId: string;

  @Column('text', { name: 'user_name' })
  userName: string;

  @Column('text', { name: 'project_id' })
  projectId: string;

  @Column('text')
  name: string;

  /** sha256 of the canonical JSON of the ExperimentModel: the idempotency check of a relaunch. */
  @Column('text', { name: 'payload_hash' })
  payloadHash: string;

  /** The full ExperimentModel as plain JSON (i64 as numbers). */
  @Column('jsonb')
  model: Record<string, unknown>;

  /** ExperimentState name. */
  @Column('text')
  state: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
