import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '../../../../libs/config/src';
import { affectedCount } from '../../../../libs/db/src/query-result';
import { ProgramService } from '../../../api/src/program/program.service';

/** §5: a response with no comment settles 30 minutes after its last click. */
@Injectable()
export class ResponseSettler {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly program: ProgramService,
  ) {}

  async settleDue(): Promise<number> {
    const { rules } = await this.program.get();
    const result = await this.db.query(
      `UPDATE responses SET settled_at = last_changed_at + make_interval(mins => $2), updated_at = now()
       WHERE settled_at IS NULL AND last_changed_at <= $1::timestamptz - make_interval(mins => $2) RETURNING id`,
      [this.clock.now(), rules.responseSettleMinutes],
    );
    return affectedCount(result);
  }
}
