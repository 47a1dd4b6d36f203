import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxStatus = 'pending' | 'delivering' | 'delivered' | 'failed';

/**
 * A vendor write, committed in the same transaction as the change that causes it, and delivered
 * by a job with retries: a vendor outage delays it, never drops it.
 */
@Entity('outbox')
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid', { name: 'connection_id' }) connectionId: string;
  @Column('text') operation: string;
  @Column('text', { name: 'dedupe_key' }) dedupeKey: string;
  @Column('jsonb') payload: unknown;
  @Column('text', { default: 'pending' }) status: OutboxStatus;
  @Column('integer', { default: 0 }) attempts: number;
  @Column('timestamptz', { name: 'next_attempt_at', default: () => 'now()' }) nextAttemptAt: Date;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('text', { name: 'external_id', nullable: true }) externalId: string | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt: Date | null;
  @Column('uuid', { name: 'follow_up_id', nullable: true }) followUpId: string | null;
  /** A pending field update per record (e.g. account:001…) coalesces later changes into itself. */
  @Column('text', { name: 'record_key', nullable: true }) recordKey: string | null;
  @Column('timestamptz', { name: 'claimed_at', nullable: true }) claimedAt: Date | null;
  /** Since when a create may have happened without our knowing: look before creating again. */
  @Column('timestamptz', { name: 'outcome_unknown_since', nullable: true }) outcomeUnknownSince: Date | null;
}
