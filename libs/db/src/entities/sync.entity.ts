import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type SyncMode = 'full' | 'incremental';
export type SyncRunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'paused' | 'interrupted';

/** Where a stream's incremental sync resumes; committed with the page it follows. */
@Entity('sync_cursors')
export class SyncCursor {
  @PrimaryColumn('uuid', { name: 'connection_id' }) connectionId: string;
  @PrimaryColumn('text') stream: string;
  @Column('text', { nullable: true }) cursor: string | null;
  @Column('timestamptz', { name: 'full_sync_completed_at', nullable: true }) fullSyncCompletedAt: Date | null;
  /** Set while a full read is under way: rows not seen since then are deleted at its end. */
  @Column('timestamptz', { name: 'full_sync_started_at', nullable: true }) fullSyncStartedAt: Date | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** One sync of one connection, with what it read, wrote and spent. */
@Entity('sync_runs')
export class SyncRun {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'connection_id' }) connectionId: string;
  @Column('text') mode: SyncMode;
  @Column('text', { default: 'queued' }) status: SyncRunStatus;
  /** schedule | manual */
  @Column('text', { default: 'schedule' }) trigger: string;
  @Column('jsonb', { name: 'stream_stats', default: {} }) streamStats: Record<string, unknown>;
  @Column('integer', { name: 'records_read', default: 0 }) recordsRead: number;
  @Column('integer', { name: 'records_created', default: 0 }) recordsCreated: number;
  @Column('integer', { name: 'records_updated', default: 0 }) recordsUpdated: number;
  @Column('integer', { name: 'records_deleted', default: 0 }) recordsDeleted: number;
  @Column('integer', { name: 'records_total', nullable: true }) recordsTotal: number | null;
  @Column('integer', { name: 'api_calls', default: 0 }) apiCalls: number;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
  @Column('integer', { name: 'duration_ms', nullable: true }) durationMs: number | null;
  @Column('text', { nullable: true }) error: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
