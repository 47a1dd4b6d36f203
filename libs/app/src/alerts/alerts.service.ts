import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { AlertRow, AlertsRepository, AlertState } from '@libs/db/src/repositories/alerts.repository';
import type { Stream } from '@libs/nps/src';

/** The alerts kept (rules §9), as an admin lists and acknowledges them. */
@Injectable()
export class AlertsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  list(filter: { state: AlertState | null; stream: Stream | null; limit: number }): Promise<AlertRow[]> {
    return new AlertsRepository(this.db.manager).list(filter);
  }

  /** Acknowledging twice keeps the first time; an unknown id is 404. */
  async acknowledge(id: string): Promise<AlertRow> {
    const alerts = new AlertsRepository(this.db.manager);
    if (!(await alerts.acknowledge(id, this.clock.now()))) throw new NotFoundException(`no alert with id ${id}`);
    return (await alerts.byId(id)) as AlertRow;
  }
}
