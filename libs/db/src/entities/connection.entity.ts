import { Column, CreateDateColumn, DeleteDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type ConnectionStatus = 'pending' | 'active' | 'paused' | 'auth_failed' | 'error' | 'disabled';

/** The latest connection test as the vendor answered it (connectors' ConnectionTestResult). */
export interface ConnectionTestRecord {
  ok: boolean;
  authenticated: boolean;
  /** The vendor's own words when something failed. */
  message: string | null;
  missingFields: Array<{ object: string; field: string; setting: string }>;
}

/** One connected vendor account (a Salesforce org, a HubSpot portal, a Zendesk instance). */
@Entity('connections')
export class Connection {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** The connector registry key. */
  @Column('text') kind: string;
  @Column('text') name: string;
  /** AES-256-GCM envelope; never returned by the API. */
  @Column('text', { name: 'credentials_encrypted', select: false }) credentialsEncrypted: string;
  @Column('jsonb', { default: {} }) settings: Record<string, unknown>;
  @Column('text', { default: 'pending' }) status: ConnectionStatus;
  @Column('text', { name: 'status_reason', nullable: true }) statusReason: string | null;
  @Column('timestamptz', { name: 'status_changed_at', nullable: true }) statusChangedAt: Date | null;
  /** While paused for the API budget: when the next attempt may run. */
  @Column('timestamptz', { name: 'paused_until', nullable: true }) pausedUntil: Date | null;
  /** The vendor's last reported usage, e.g. { used, limit }. */
  @Column('jsonb', { name: 'last_api_usage', nullable: true }) lastApiUsage: { used: number; limit: number; at: string } | null;
  /** The latest connection test and when it ran (null: never tested). */
  @Column('jsonb', { name: 'last_test', nullable: true }) lastTest: ConnectionTestRecord | null;
  @Column('timestamptz', { name: 'last_tested_at', nullable: true }) lastTestedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz' }) deletedAt: Date | null;
}
