import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A message a consumer has fully handled: the record that makes redelivery harmless. */
@Entity('processed_messages')
export class ProcessedMessageRow {
  @PrimaryColumn('text')
  consumer: string;

  @PrimaryColumn('text', { name: 'message_id' })
  messageId: string;

  @Column('timestamptz', { name: 'processed_at', default: () => 'now()' })
  processedAt: Date;
}
