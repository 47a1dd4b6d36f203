import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { returnedRows } from '@libs/db/src/query-result';
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
        const result = await tx.query(
          `UPDATE responses SET settled_at = last_changed_at + make_interval(mins => $2), updated_at = now()
           WHERE id IN (SELECT id FROM responses WHERE settled_at IS NULL AND last_changed_at <= $1::timestamptz - make_interval(mins => $2)
                        ORDER BY last_changed_at LIMIT $3 FOR UPDATE SKIP LOCKED)
           RETURNING id`,
          [this.clock.now(), rules.responseSettleMinutes, batch],
        );
        const ids = returnedRows<{ id: string }>(result).map((r) => r.id);
        await this.effects.afterSettle(tx, ids);
        return ids.length;
      });
      total += settled;
      if (settled < batch) return total;
    }
  }
}
