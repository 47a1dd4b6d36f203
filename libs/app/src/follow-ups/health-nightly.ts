import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { AccountsRepository } from '@libs/db/src/repositories/accounts.repository';
import { ProgramService } from '../program/program.service';
import { HealthRefresh } from './health-refresh';

/** Accounts per transaction in the nightly refresh. */
const HEALTH_CHUNK = 500;

/** rules §7, nightly for all: every account's health, and the CRM fields that changed, queued. */
@Injectable()
export class HealthNightly {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly program: ProgramService,
  ) {}

  async refreshAll(): Promise<{ accounts: number; queued: number }> {
    const { rules } = await this.program.get();
    let after = '00000000-0000-0000-0000-000000000000';
    let accounts = 0;
    let queued = 0;
    for (;;) {
      const ids = await new AccountsRepository(this.db.manager).liveIdsAfter(after, HEALTH_CHUNK);
      if (ids.length === 0) return { accounts, queued };
      queued += await this.db.transaction((tx) => new HealthRefresh(tx, rules, this.clock.now()).accounts(ids));
      accounts += ids.length;
      after = ids[ids.length - 1];
    }
  }
}
