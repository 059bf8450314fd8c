import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Singleton rows (by name) holding the Mesos FrameworkID the dispatcher re-subscribes with. */
@Entity('framework')
export class FrameworkRow {
  @PrimaryColumn('text')
  name: string;

  @Column('text', { name: 'framework_id' })
  frameworkId: string;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
