import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SyncRunListRow, SyncRunsRepository } from '@libs/db/src/repositories/sync-runs.repository';

export type { SyncRunListRow } from '@libs/db/src/repositories/sync-runs.repository';

export interface SyncRunPage {
  rows: SyncRunListRow[];
  /** `before` for the next (older) page; null on the last page. */
  older: string | null;
}

const CURSOR = /^(\d{1,19})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Every connection's sync runs, newest first, a page at a time: what each read, wrote and spent, and why one failed. */
@Injectable()
export class SyncRunsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async page(before: unknown, limit = 50): Promise<SyncRunPage> {
    let position: { createdMicros: string; id: string } | null = null;
    if (before !== undefined && before !== '') {
      const match = typeof before === 'string' ? CURSOR.exec(before) : null;
      if (!match) throw new BadRequestException(['before: must be a position from a "next page" link']);
      position = { createdMicros: match[1], id: match[2] };
    }
    const rows = await new SyncRunsRepository(this.db.manager).page(position, limit + 1);
    return { rows: rows.slice(0, limit), older: rows.length > limit ? rows[limit - 1].cursor : null };
  }
}
