import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { Connection, SyncRun } from '../../../../libs/db/src';

export class CreateConnectionDto {
  @ApiProperty({ example: 'salesforce', description: 'the connector: salesforce or hubspot' })
  @IsString()
  @IsNotEmpty()
  kind: string;

  @ApiProperty({ example: 'Production org' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ description: "the vendor's credentials; stored encrypted, never returned", type: Object })
  @IsObject()
  credentials: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'field mapping, rate budget, role mapping; defaults fill the rest', type: Object })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;
}

export class UpdateConnectionDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) name?: string;
  @ApiPropertyOptional({ type: Object }) @IsOptional() @IsObject() credentials?: Record<string, unknown>;
  @ApiPropertyOptional({ type: Object }) @IsOptional() @IsObject() settings?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'false disables scheduled syncs' }) @IsOptional() @IsBoolean() enabled?: boolean;
}

export class SyncRequestDto {
  @ApiPropertyOptional({ description: 'read every record again instead of changes since the last run' })
  @IsOptional()
  @IsBoolean()
  full?: boolean;
}

export class ConnectionDto {
  @ApiProperty() id: string;
  @ApiProperty() kind: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['pending', 'active', 'paused', 'auth_failed', 'error', 'disabled'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) statusReason: string | null;
  @ApiProperty({ nullable: true, type: Date }) pausedUntil: Date | null;
  @ApiProperty({ nullable: true, type: Object }) lastApiUsage: unknown;
  @ApiProperty({ type: Object, description: 'settings with every default filled in' }) settings: Record<string, unknown>;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static from(row: Connection, settings: Record<string, unknown>): ConnectionDto {
    return Object.assign(new ConnectionDto(), {
      id: row.id,
      kind: row.kind,
      name: row.name,
      status: row.status,
      statusReason: row.statusReason,
      pausedUntil: row.pausedUntil,
      lastApiUsage: row.lastApiUsage,
      settings,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  }
}

export class SyncRunDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['full', 'incremental'] }) mode: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed', 'paused', 'interrupted'] }) status: string;
  @ApiProperty() trigger: string;
  @ApiProperty() recordsRead: number;
  @ApiProperty() recordsCreated: number;
  @ApiProperty() recordsUpdated: number;
  @ApiProperty() recordsDeleted: number;
  @ApiProperty({ nullable: true, type: Number, description: 'records the vendor said the run would read' }) recordsTotal: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'progress in %, when the total is known' }) percent: number | null;
  @ApiProperty({ type: Object, description: 'per stream: read, created, updated, deleted, total' }) streams: Record<string, unknown>;
  @ApiProperty() apiCalls: number;
  @ApiProperty({ nullable: true, type: Date }) startedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) finishedAt: Date | null;
  @ApiProperty({ nullable: true, type: Number }) durationMs: number | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;

  static from(run: SyncRun): SyncRunDto {
    const percent = run.recordsTotal ? Math.min(100, Math.round((run.recordsRead / run.recordsTotal) * 100)) : null;
    return Object.assign(new SyncRunDto(), {
      id: run.id,
      mode: run.mode,
      status: run.status,
      trigger: run.trigger,
      recordsRead: run.recordsRead,
      recordsCreated: run.recordsCreated,
      recordsUpdated: run.recordsUpdated,
      recordsDeleted: run.recordsDeleted,
      recordsTotal: run.recordsTotal,
      percent: run.status === 'succeeded' ? 100 : percent,
      streams: run.streamStats,
      apiCalls: run.apiCalls,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      durationMs: run.durationMs,
      error: run.error,
    });
  }
}
