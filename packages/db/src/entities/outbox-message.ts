import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A message waiting to be (or already) published to Kafka by an outbox relay. */
@Entity('outbox')
@Unique('outbox_id_key', ['id'])
@Index('outbox_unsent_idx', ['seq'], { where: 'sent_at IS NULL' })
@Index('outbox_unsent_key_idx', ['messageKey', 'seq'], { where: 'sent_at IS NULL' })
export class OutboxRow {
  /** Insertion order; relays publish in this order per message key. bigint: a string from pg. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  seq: string;

  /** The envelope id: consumers drop redeliveries by it. */
  @Column('uuid')
  id: string;

  /** Logical topic key (TopicKey of @msched/bus); the relay adds the installation's prefix. */
  @Column('text')
  topic: string;

  @Column('text', { name: 'message_key' })
  messageKey: string;

  @Column('text')
  type: string;

  @Column('json')
  envelope: Record<string, unknown>;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt: Date | null;

  @Column('integer', { default: 0 })
  attempts: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;
}
