import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsObject, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { Connection, SyncRun } from '@libs/db/src';
import { CONNECTOR_KINDS, credentialsRefs, settingsRefs } from './connector-schemas';
import { ApiUsageDto, ConnectionLastTestDto } from './connection-results.dto';

/** Optional, but never null: a field left out keeps its value, null is refused naming the field. */
const given = (_: object, value: unknown) => value !== undefined;
const NOT_BLANK = { message: '$property must not be blank' };

const PER_KIND = "the connection's kind decides the shape (one schema per connector)";

export class CreateConnectionDto {
  @ApiProperty({ enum: CONNECTOR_KINDS, example: CONNECTOR_KINDS[0], description: 'the connector' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  kind: string;

  @ApiProperty({ example: 'Production org', minLength: 1, maxLength: 100, description: 'unique among the connections' })
  @IsString()
  @Matches(/\S/, NOT_BLANK)
  @MaxLength(100)
  name: string;

  @ApiProperty({ description: `the vendor's credentials; stored encrypted, never returned; ${PER_KIND}`, oneOf: credentialsRefs() })
  @IsObject()
  credentials: Record<string, unknown>;

  @ApiPropertyOptional({ description: `field mapping, rate budget, role mapping; defaults fill the rest; ${PER_KIND}`, oneOf: settingsRefs() })
  @ValidateIf(given)
  @IsObject()
  settings?: Record<string, unknown>;
}

export class UpdateConnectionDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'a new name, unique among the connections' })
  @ValidateIf(given)
  @IsString()
  @Matches(/\S/, NOT_BLANK)
  @MaxLength(100)
  name?: string;
  @ApiPropertyOptional({ description: `new credentials, replacing the stored ones whole (status returns to pending); ${PER_KIND}`, oneOf: credentialsRefs() })
  @ValidateIf(given)
  @IsObject()
  credentials?: Record<string, unknown>;
  @ApiPropertyOptional({ description: `settings to change; ${PER_KIND}`, oneOf: settingsRefs() }) @ValidateIf(given) @IsObject() settings?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'false disables scheduled syncs' }) @ValidateIf(given) @IsBoolean() enabled?: boolean;
}

export class SyncRequestDto {
  @ApiPropertyOptional({ description: 'read every record again instead of changes since the last run' })
  @ValidateIf(given)
  @IsBoolean()
  full?: boolean;
}

export class ConnectionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CONNECTOR_KINDS }) kind: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['pending', 'active', 'paused', 'auth_failed', 'error', 'disabled'] }) status: string;
  @ApiProperty({ nullable: true, type: String, description: "why the status is what it is (the vendor's words for auth_failed)" }) statusReason: string | null;
  @ApiProperty({ nullable: true, type: Date, description: 'syncs wait until then (the API budget is spent)' }) pausedUntil: Date | null;
  @ApiProperty({ nullable: true, type: ApiUsageDto, description: 'the latest API usage the vendor reported' }) lastApiUsage: unknown;
  @ApiProperty({
    nullable: true,
    type: ConnectionLastTestDto,
    description: "the latest connection test (POST /api/connections/{id}/test), in the vendor's words; null until one ran",
  })
  lastTest: ConnectionLastTestDto | null;
  @ApiProperty({ oneOf: settingsRefs(), description: `settings with every default filled in; ${PER_KIND}` }) settings: Record<string, unknown>;
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
      lastTest: row.lastTest && row.lastTestedAt ? { ...row.lastTest, testedAt: row.lastTestedAt } : null,
      settings,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  }
}

/** One stream of a sync run; the ARR history stream counts only what it created. */
class StreamStatsDto {
  @ApiPropertyOptional({ type: 'integer' }) read?: number;
  @ApiProperty({ type: 'integer' }) created: number;
  @ApiPropertyOptional({ type: 'integer' }) updated?: number;
  @ApiPropertyOptional({ type: 'integer' }) deleted?: number;
  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'records the vendor said this stream would read' }) total?: number | null;
}

@ApiExtraModels(StreamStatsDto)
export class SyncRunDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['full', 'incremental'] }) mode: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed', 'paused', 'interrupted'] }) status: string;
  @ApiProperty({ example: 'manual', description: 'what started it: manual or the schedule' }) trigger: string;
  @ApiProperty({ type: 'integer' }) recordsRead: number;
  @ApiProperty({ type: 'integer' }) recordsCreated: number;
  @ApiProperty({ type: 'integer' }) recordsUpdated: number;
  @ApiProperty({ type: 'integer' }) recordsDeleted: number;
  @ApiProperty({ nullable: true, type: 'integer', description: 'records the vendor said the run would read' }) recordsTotal: number | null;
  @ApiProperty({ nullable: true, type: 'integer', minimum: 0, maximum: 100, description: 'progress in %, when the total is known' }) percent: number | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(StreamStatsDto) },
    example: { accounts: { read: 120, created: 3, updated: 117, deleted: 0, total: 120 } },
    description: 'per stream (accounts, contacts, …)',
  })
  streams: Record<string, unknown>;
  @ApiProperty({ type: 'integer', description: 'requests this run sent to the vendor' }) apiCalls: number;
  @ApiProperty({ nullable: true, type: Date }) startedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) finishedAt: Date | null;
  @ApiProperty({ nullable: true, type: 'integer' }) durationMs: number | null;
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
