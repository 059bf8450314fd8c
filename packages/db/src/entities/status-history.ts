import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type EntityType = 'experiment' | 'process' | 'job' | 'task';

/** Append-only record of every state an entity entered (a trigger refuses UPDATE and DELETE). */
@Entity('status_history')
@Index('status_history_entity_idx', ['entityType', 'entityId', 'id'])
@Index('status_history_experiment_idx', ['experimentId', 'id'])
@Check('status_history_entity_type_check', `"entity_type" IN ('experiment', 'process', 'job', 'task')`)
export class StatusHistoryRow {
  /** bigint: comes back from pg as a string. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('text', { name: 'entity_type' })
  entityType: EntityType;

  @Column('text', { name: 'entity_id' })
  entityId: string;

  /** Every row names its experiment, so one experiment's whole story is one index scan. */
  @Column('text', { name: 'experiment_id' })
  experimentId: string;

  @Column('text')
  state: string;

  @Column('text', { nullable: true })
  reason: string | null;

  /** Which service recorded it (api, provisioner, dispatcher, ...). */
  @Column('text')
  source: string;

  @Column('timestamptz', { default: () => 'now()' })
  at: Date;
}
