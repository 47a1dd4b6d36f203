import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who changed what: admin actions and automatic status changes. */
@Entity('audit_log')
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('timestamptz', { default: () => 'now()' }) at: Date;
  @Column('text') actor: string;
  @Column('text') action: string;
  @Column('text') entity: string;
  @Column('text', { name: 'entity_id', nullable: true }) entityId: string | null;
  @Column('jsonb', { default: {} }) details: Record<string, unknown>;
}
