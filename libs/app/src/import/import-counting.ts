import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { COUNT_PARTS, ImportCountsRepository } from '@libs/db/src/repositories/import-counts.repository';

/** An import being written: its answers enter the report counts at `count`. */
export interface DeferredCounts {
  /** Counts the import's answers (once; later calls find nothing to do) and lets the import go. */
  count(): Promise<void>;
}

/**
 * A real import's answers enter the report counts once, when it ends (rules §10: its history then
 * shows in every report), instead of batch by batch: a batch of a thousand answers touches about
 * as many people and accounts, so counting per batch rewrote each person's latest answer and each
 * account's totals once per batch. An import whose process stopped before counting is counted by
 * the next import or by a worker's schedule (`countAbandoned`), so its answers are never left out.
 */
@Injectable()
export class ImportCounting {
  private readonly logger = new Logger('ImportCounting');

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Holds the import on a session of its own for as long as it is written (a process that stops
   * lets it go with its session), then marks it pending: from now on its answers are counted at `count`.
   */
  async defer(importId: string): Promise<DeferredCounts> {
    const session = this.db.createQueryRunner();
    await session.connect();
    const counts = new ImportCountsRepository(session.manager);
    try {
      await counts.hold(importId);
      await counts.defer(importId);
    } catch (error) {
      await session.release();
      throw error;
    }
    let ended: Promise<void> | null = null;
    const end = async () => {
      try {
        await this.countParts(importId);
      } finally {
        // Released even when counting failed: the import is then abandoned, and counted by countAbandoned.
        await counts.release(importId).finally(() => session.release());
      }
    };
    return { count: () => (ended ??= end()) };
  }

  /**
   * Counts the import's answers into each part of the counts at once, each part on a session of
   * its own (a part is one pass over the import's answers, on one core); true when any part was pending.
   */
  private async countParts(importId: string): Promise<boolean> {
    const counted = await Promise.all(COUNT_PARTS.map((part) => new ImportCountsRepository(this.db.manager).countPart(importId, part)));
    return counted.includes(true);
  }

  /** Counts every pending import whose process is gone (nobody holds it); returns their ids. */
  async countAbandoned(): Promise<string[]> {
    const pending = await new ImportCountsRepository(this.db.manager).pending();
    if (!pending.length) return [];
    const counted: string[] = [];
    const session = this.db.createQueryRunner();
    await session.connect();
    try {
      const counts = new ImportCountsRepository(session.manager);
      for (const importId of pending) {
        if (!(await counts.tryHold(importId))) continue; // its process still writes it
        try {
          if (await this.countParts(importId)) counted.push(importId);
        } finally {
          await counts.release(importId);
        }
      }
    } finally {
      await session.release();
    }
    if (counted.length) this.logger.warn({ imports: counted }, 'imports whose process stopped before counting their answers are counted now');
    return counted;
  }
}
