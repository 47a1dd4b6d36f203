import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { ResponsesRepository } from '@libs/db/src/repositories/responses.repository';
import { SettlementEffects } from '../follow-ups/settlement-effects';
import { ProgramService } from '../program/program.service';

/** rules §5: a response with no comment settles 30 minutes after its last click. */
@Injectable()
export class ResponseSettler {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly program: ProgramService,
    private readonly effects: SettlementEffects,
  ) {}

  /** Settles what is due, a bounded batch per transaction, each with its follow-ups. Returns how many. */
  async settleDue(batch = 200): Promise<number> {
    const { rules } = await this.program.get();
    let total = 0;
    for (;;) {
      const settled = await this.db.transaction(async (tx) => {
        const ids = await new ResponsesRepository(tx).settleDue(this.clock.now(), rules.responseSettleMinutes, batch);
        await this.effects.afterSettle(tx, ids);
        return ids.length;
      });
      total += settled;
      if (settled < batch) return total;
    }
  }
}
