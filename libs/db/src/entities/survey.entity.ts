import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type SurveyStream = 'relational' | 'transactional';
export type SurveyTrigger = 'quarterly' | 'pre_renewal' | 'ticket_solved' | 'onboarding';
export type SurveyStatus = 'scheduled' | 'sending' | 'sent' | 'answered' | 'cancelled' | 'skipped' | 'failed';

/** One invitation to one person; skipped and cancelled ones keep their reason. */
@Entity('surveys')
export class Survey {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') stream: SurveyStream;
  @Column('text') trigger: SurveyTrigger;
  /** e.g. the ticket, or account + renewal date + contact: a repeat never makes a second survey. */
  @Column('text', { name: 'idempotency_key' }) idempotencyKey: string;
  @Column('uuid', { name: 'source_connection_id', nullable: true }) sourceConnectionId: string | null;
  /** The ticket id, renewal date or wave the survey is about. */
  @Column('text', { name: 'source_ref', nullable: true }) sourceRef: string | null;
  @Column('uuid', { name: 'contact_id', nullable: true }) contactId: string | null;
  @Column('uuid', { name: 'account_id', nullable: true }) accountId: string | null;
  @Column('text') email: string;
  @Column('text', { default: 'scheduled' }) status: SurveyStatus;
  @Column('text', { name: 'skip_reason', nullable: true }) skipReason: string | null;
  @Column('timestamptz', { name: 'scheduled_at' }) scheduledAt: Date;
  @Column('timestamptz', { name: 'send_deadline_at', nullable: true }) sendDeadlineAt: Date | null;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt: Date | null;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
  /** SHA-256 of the link token; the token itself is only ever in the email. */
  @Column('text', { name: 'token_hash', nullable: true }) tokenHash: string | null;
  @Column('text', { name: 'recipient_name', nullable: true }) recipientName: string | null;
  /** What the email names: the ticket (id, subject, group), and so on. */
  @Column('jsonb', { default: {} }) context: Record<string, unknown>;
  @Column('integer', { name: 'send_attempts', default: 0 }) sendAttempts: number;
  @Column('timestamptz', { name: 'next_attempt_at', nullable: true }) nextAttemptAt: Date | null;
  /** Set when a sender claims the survey (status `sending`), before talking to SMTP. */
  @Column('timestamptz', { name: 'claimed_at', nullable: true }) claimedAt: Date | null;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('text', { name: 'message_id', nullable: true }) messageId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
