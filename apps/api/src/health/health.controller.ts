import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { JobQueue } from '@libs/jobs/src';
import { pingDatabase } from '@libs/db/src/database-ping';

type Check = 'up' | 'down';

async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
  });
  try {
    const ok = await Promise.race([check(), timeout]);
    return ok === false ? 'down' : 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

class HealthDto {
  @ApiProperty({ enum: ['ok', 'down'] }) status: 'ok' | 'down';
  @ApiProperty({ enum: ['up', 'down'], description: 'Postgres answered within 2 s' }) database: Check;
  @ApiProperty({ enum: ['up', 'down'], description: 'the job queue answered within 2 s' }) queue: Check;
}

/** For load balancers and orchestrators: 200 when the database and the queue answer, else 503. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Whether the database and the job queue answer (no admin key needed)' })
  @ApiOkResponse({ type: HealthDto, description: 'both answer' })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'one of them does not; the body says which' })
  async check(@Res({ passthrough: true }) res: Response): Promise<{ status: 'ok' | 'down'; database: Check; queue: Check }> {
    const [database, queue] = await Promise.all([probe(() => pingDatabase(this.db), 2000), probe(() => this.jobs.isHealthy(), 2000)]);
    const ok = database === 'up' && queue === 'up';
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'down', database, queue };
  }
}
