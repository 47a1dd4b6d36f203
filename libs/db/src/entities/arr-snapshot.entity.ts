import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** ARR as seen at a sync where it changed; feeds the activity axis (ARR trend). */
@Entity('arr_snapshots')
export class ArrSnapshot {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid', { name: 'account_id' }) accountId: string;
  @Column('numeric', { precision: 16, scale: 2 }) arr: string;
  @Column('char', { name: 'arr_currency', length: 3, nullable: true }) arrCurrency: string | null;
  @Column('timestamptz', { name: 'captured_at', default: () => 'now()' }) capturedAt: Date;
}
