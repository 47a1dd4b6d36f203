import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * ARR at an instant; feeds the activity axis (ARR trend). source 'sync': as a sync saw it when
 * it changed; 'crm': a value from the CRM's own field history, stored once per instant.
 */
@Entity('arr_snapshots')
export class ArrSnapshot {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid', { name: 'account_id' }) accountId: string;
  @Column('numeric', { precision: 16, scale: 2 }) arr: string;
  @Column('char', { name: 'arr_currency', length: 3, nullable: true }) arrCurrency: string | null;
  @Column('timestamptz', { name: 'captured_at', default: () => 'now()' }) capturedAt: Date;
  @Column('text', { default: 'sync' }) source: 'crm' | 'sync';
}
