import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A webhook call as received; the unique (source, delivery id) makes repeats harmless. */
@Entity('webhook_deliveries')
export class WebhookDelivery {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid', { name: 'connection_id', nullable: true }) connectionId: string | null;
  @Column('text') source: string;
  @Column('text', { name: 'delivery_id' }) deliveryId: string;
  @Column('text', { name: 'event_type', nullable: true }) eventType: string | null;
  @Column('jsonb') payload: unknown;
  @Column('timestamptz', { name: 'received_at', default: () => 'now()' }) receivedAt: Date;
  @Column('timestamptz', { name: 'processed_at', nullable: true }) processedAt: Date | null;
  @Column('text', { nullable: true }) error: string | null;
}
