import { stat } from 'node:fs/promises';
import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { vacuumChurnedTables } from '@libs/db/src/churned-tables';
import { commitWithoutWaitingForDisk } from '@libs/db/src/commit-durability';
import { ImportCounts, ImportFile, ImportRefusal, ImportRow, ImportsRepository, NO_COUNTS } from '@libs/db/src/repositories/imports.repository';
import { SettlementEffects } from '../follow-ups/settlement-effects';
import { ProgramService } from '../program/program.service';
import { csvItems, CsvFile } from './csv-history';
import { csvLayout, CsvMapping, parseCsvMapping } from './csv-mapping';
import { DELIGHTED_SOURCE, DelightedFile, delightedItems, orderDelightedFiles } from './delighted-export';
import { BatchOutcome, ImportContext, writeAnswers, writeOptOuts, writePeople } from './import-batch-writer';
import { ImportCounting } from './import-counting';
import { ImportInputError } from './import-input-error';
import { SourceAnswer, SourceItem, SourceOptOut, SourcePerson } from './source-answer';
import { csvRecords } from './source-records';

/** What to import: a Delighted export's files, or one CSV with its mapping (the mapping file's JSON, unchecked). */
export type ImportRequest = { dryRun: boolean; actor: string } & ({ kind: 'delighted'; files: DelightedFile[] } | { kind: 'csv'; file: CsvFile; mapping: unknown });

/** An import's summary: kept for a real import (id), answered only for a dry run (id null, nothing written). */
export interface ImportSummary {
  id: string | null;
  dryRun: boolean;
  kind: 'delighted' | 'csv';
  source: string;
  status: ImportRow['status'];
  files: ImportFile[];
  counts: ImportCounts;
  /** The first REFUSALS_KEPT refused records, in file order (counts.refused has them all). */
  refusals: ImportRefusal[];
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

/** Answers (and people, opt-outs) written per transaction: large enough for fast multi-row inserts, small enough for flat memory. */
export const IMPORT_BATCH = 1_000;
/** Refused records listed in a summary; more are counted. */
export const REFUSALS_KEPT = 1_000;
const PROGRESS_EVERY_MS = 5_000;
/**
 * Batches written at once by a real import, each on its own connection, while the next is read.
 * Each batch's count upserts (rollups, latest answers, account totals) wait for the batch before
 * it to commit (they go in key order, so they never deadlock): with two, one batch inserts its
 * rows while the other finishes; more only wait longer and hold more batches in memory.
 * A dry run has one session: one at a time.
 */
const WRITES_AT_ONCE = 2;
/**
 * Batches between two vacuums of the tables a real import churns: each batch rewrites a row per
 * person and per account in the report counts (latest answers, account totals), so within a
 * hundred batches those tables hold more dead versions than rows.
 */
const VACUUM_EVERY = 100;

/**
 * Runs batch writes, up to `limit` at once (each on its own connection and transaction) while
 * the next batch is read. A write submitted as
 * exclusive starts when all others have ended and is waited for. A failure is thrown by the next
 * submit or by drain.
 */
class BatchWrites {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly limit: number) {}

  async submit(write: () => Promise<void>, exclusive = false): Promise<void> {
    if (exclusive) await this.drain();
    while (this.running.size >= this.limit) await Promise.race(this.running);
    const started = write().finally(() => this.running.delete(started));
    this.running.add(started);
    // Awaited by a later submit or by drain; until then a failure must not count as unhandled.
    started.catch(() => undefined);
    if (exclusive) await this.drain();
  }

  /** Waits for every running write (even after one failed), then throws the first failure. */
  async drain(): Promise<void> {
    while (this.running.size) {
      const failed = (await Promise.allSettled(this.running)).find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }
}

/** One at a time: the follow-ups of recent answers are planned by one batch at once (they touch shared account rows). */
class Serial {
  private last: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.last.then(work, work);
    this.last = next.catch(() => undefined);
    return next;
  }
}

/**
 * Every VACUUM_EVERY batches written, the tables the batches churn are vacuumed
 * (vacuumChurnedTables) beside the writes, one vacuum at a time; a failed vacuum is only logged.
 */
class Vacuums {
  private written = 0;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: DataSource,
    private readonly logger: Logger,
  ) {}

  afterBatch(): void {
    if (++this.written % VACUUM_EVERY !== 0) return;
    this.running = this.running.then(() =>
      vacuumChurnedTables(this.db).then(
        () => undefined,
        (error: Error) => this.logger.warn({ error: error.message }, 'vacuuming the tables the import churns failed; autovacuum will do it'),
      ),
    );
  }

  /** Waits for the vacuum running, if any. */
  done(): Promise<void> {
    return this.running;
  }
}

/** One run's running totals. */
class Tally {
  counts: ImportCounts = { ...NO_COUNTS };
  refusals: ImportRefusal[] = [];

  add(outcome: Pick<BatchOutcome, 'counts' | 'refusals'>): void {
    for (const [key, value] of Object.entries(outcome.counts) as Array<[keyof ImportCounts, number]>) this.counts[key] += value;
    for (const refusal of outcome.refusals) if (this.refusals.length < REFUSALS_KEPT) this.refusals.push(refusal);
  }

  /** Unreadable records are refused as they are read, the others with their batch: listed by file, then row. */
  inFileOrder(files: readonly ImportFile[]): ImportRefusal[] {
    const position = (name: string) => files.findIndex((f) => f.name === name);
    this.refusals.sort((a, b) => position(a.file) - position(b.file) || a.row - b.row);
    return this.refusals;
  }
}

/**
 * Imports history (rules §10): a Delighted export or a CSV with a column mapping, streamed and
 * written in batches of multi-row inserts (a batch per transaction, so an interrupted import keeps
 * what it wrote and importing again adds only the rest). A dry run does the same work inside one
 * transaction that is rolled back, so its counts are the real ones and nothing stays.
 */
@Injectable()
export class HistoryImportService {
  private readonly logger = new Logger('HistoryImport');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly program: ProgramService,
    private readonly effects: SettlementEffects,
    private readonly counting: ImportCounting,
  ) {}

  /** Checks the input (ImportInputError, nothing written), then imports; a failure midway is kept as `failed` with its reason. */
  async run(request: ImportRequest): Promise<ImportSummary> {
    const mapping = request.kind === 'csv' ? parseCsvMapping(request.mapping) : null;
    const files = request.kind === 'csv' ? [request.file] : orderDelightedFiles(request.files);
    if (!files.length) throw new ImportInputError(['files: nothing to import']);
    const described = await describeFiles(request.kind === 'csv' ? [{ ...request.file, kind: 'csv' }] : request.files);
    if (request.kind === 'csv') await checkCsvHeader(request.file, mapping!);
    const source = mapping?.source ?? DELIGHTED_SOURCE;
    const { rules } = await this.program.get();
    const startedAt = this.clock.now();
    const items = () => (request.kind === 'csv' ? csvItems(request.file, mapping!) : delightedExportItems(orderDelightedFiles(request.files)));
    const start = (db: EntityManager) => new ImportsRepository(db).start({ kind: request.kind, source, files: described, mapping, createdBy: request.actor });
    const summary = (id: string | null, tally: Tally, status: ImportSummary['status'], error: string | null): ImportSummary => ({
      id,
      dryRun: request.dryRun,
      kind: request.kind,
      source,
      status,
      files: described,
      counts: tally.counts,
      refusals: tally.inFileOrder(described),
      error,
      startedAt,
      finishedAt: this.clock.now(),
    });

    if (request.dryRun) {
      const session = this.db.createQueryRunner();
      await session.connect();
      await session.startTransaction();
      const tally = new Tally();
      try {
        const context: ImportContext = { importId: await start(session.manager), source, now: startedAt, rules, snapshots: new Map() };
        // One session: its statements run one after another anyway.
        await this.consume(items(), tally, (write) => write(session.manager), context, null, 1);
        return summary(null, tally, 'succeeded', null);
      } catch (error) {
        if (error instanceof ImportInputError) throw error;
        return summary(null, tally, 'failed', (error as Error).message);
      } finally {
        await session.rollbackTransaction();
        await session.release();
      }
    }

    // An earlier import whose process stopped before counting its answers is counted first.
    await this.counting.countAbandoned();
    const importId = await start(this.db.manager);
    // Its answers enter the report counts once, when it ends (or fails: what it wrote stays and counts).
    const counts = await this.counting.defer(importId);
    const settling = new Serial();
    const vacuums = new Vacuums(this.db, this.logger);
    const imports = new ImportsRepository(this.db.manager);
    const tally = new Tally();
    const context: ImportContext = { importId, source, now: startedAt, rules, snapshots: new Map() };
    try {
      await this.consume(
        items(),
        tally,
        (write) =>
          this.db
            .transaction(async (tx) => {
              await commitWithoutWaitingForDisk(tx);
              const outcome = await write(tx);
              // Recent answers (≤ 30 days) settle like a survey answer, with the batch: follow-ups, CRM fields, alerts.
              if (outcome.followUpIds.length) await settling.run(() => this.effects.afterSettle(tx, outcome.followUpIds));
              return outcome;
            })
            .finally(() => vacuums.afterBatch()),
        context,
        () => imports.recordProgress(importId, tally.counts, tally.inFileOrder(described)),
        WRITES_AT_ONCE,
      );
      await vacuums.done();
      await counts.count();
      await imports.finish(importId, 'succeeded', tally.counts, tally.inFileOrder(described), null);
      this.logger.log({ importId, ...tally.counts }, 'history imported');
      return summary(importId, tally, 'succeeded', null);
    } catch (error) {
      const message = error instanceof ImportInputError ? error.problems.join('; ') : (error as Error).message;
      await vacuums.done();
      await counts.count().catch((countError: Error) => this.logger.error({ importId, error: countError.message }, 'counting the import failed; a worker counts it later'));
      await imports.finish(importId, 'failed', tally.counts, tally.inFileOrder(described), message);
      this.logger.warn({ importId, error: message }, 'history import failed; what was written stays, importing again adds the rest');
      if (error instanceof ImportInputError) throw error;
      return summary(importId, tally, 'failed', message);
    }
  }

  /**
   * Reads every item, writing each kind in batches, up to `concurrency` batches of answers being
   * written while the next is read (reading waits when a batch is ready before a writer is free:
   * memory stays flat). People and opt-outs are written alone, before the answers that follow them
   * (an answer naming a person finds their email; an unsubscribe holds before any answer of theirs).
   */
  private async consume(
    source: AsyncIterable<SourceItem[]>,
    tally: Tally,
    transact: (write: (db: EntityManager) => Promise<BatchOutcome>) => Promise<BatchOutcome>,
    context: ImportContext,
    progress: (() => Promise<void>) | null,
    concurrency: number,
  ): Promise<void> {
    const writes = new BatchWrites(concurrency);
    let reported = Date.now();
    const submit = (write: (db: EntityManager) => Promise<BatchOutcome>, exclusive = false) =>
      writes.submit(async () => {
        tally.add(await transact(write));
        if (progress && Date.now() - reported > PROGRESS_EVERY_MS) {
          reported = Date.now();
          await progress();
        }
      }, exclusive);
    let answers: SourceAnswer[] = [];
    let people: SourcePerson[] = [];
    let optOuts: SourceOptOut[] = [];
    const flushPeople = async () => {
      if (!people.length) return;
      const batch = people;
      people = [];
      await submit((db) => writePeople(db, context, batch), true);
    };
    const flushOptOuts = async () => {
      if (!optOuts.length) return;
      const batch = optOuts;
      optOuts = [];
      await submit((db) => writeOptOuts(db, context, batch), true);
    };
    const flushAnswers = async () => {
      await flushPeople();
      await flushOptOuts();
      if (!answers.length) return;
      const batch = answers;
      answers = [];
      await submit((db) => writeAnswers(db, context, batch));
    };
    /** Adds an item to its batch; a promise only when a full batch is handed to the writer. */
    const take = (item: SourceItem): Promise<void> | undefined => {
      switch (item.kind) {
        case 'answer':
          answers.push(item.answer);
          return answers.length >= IMPORT_BATCH ? flushAnswers() : undefined;
        case 'person':
          tally.counts.people++;
          people.push(item.person);
          return people.length >= IMPORT_BATCH ? flushPeople() : undefined;
        case 'opt_out':
          tally.counts.optOuts++;
          optOuts.push(item.optOut);
          return optOuts.length >= IMPORT_BATCH ? flushOptOuts() : undefined;
        case 'refused':
          tally.add({ counts: { refused: 1, answers: item.answer ? 1 : 0 }, refusals: [item.refusal] });
          return undefined;
      }
    };
    try {
      for await (const chunk of source) {
        for (const item of chunk) {
          const flushing = take(item);
          if (flushing) await flushing;
        }
      }
      await flushAnswers();
    } finally {
      // Also when a file cannot be read on: the batch being written ends (or fails) before the import is judged.
      await writes.drain();
    }
  }

  /** The latest imports, newest first (their refusal lists are in each import's own view). */
  async list(limit: number): Promise<ImportSummary[]> {
    return (await new ImportsRepository(this.db.manager).list(limit)).map(summaryOf);
  }

  async find(id: string): Promise<ImportSummary> {
    const row = await new ImportsRepository(this.db.manager).find(id);
    if (!row) throw new NotFoundException(`no import with id ${id}`);
    return summaryOf(row);
  }
}

function summaryOf(row: ImportRow): ImportSummary {
  return {
    id: row.id,
    dryRun: false,
    kind: row.kind,
    source: row.source,
    status: row.status,
    files: row.files,
    counts: { ...NO_COUNTS, ...row.counts },
    refusals: row.refusals,
    error: row.error,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** Every file's items in reading order (the files are ordered already: people, opt-outs, answers). */
async function* delightedExportItems(files: DelightedFile[]): AsyncGenerator<SourceItem[]> {
  for (const file of files) yield* delightedItems(file);
}

async function describeFiles(files: Array<{ path: string; name: string; kind: string }>): Promise<ImportFile[]> {
  const described: ImportFile[] = [];
  for (const file of files) {
    try {
      const info = await stat(file.path);
      if (!info.isFile()) throw new Error('not a file');
      described.push({ name: file.name, kind: file.kind, bytes: info.size });
    } catch (error) {
      throw new ImportInputError([`${file.kind === 'csv' ? 'file' : file.kind}: cannot read ${file.name} (${(error as Error).message})`]);
    }
  }
  return described;
}

/** The CSV's header against the mapping, before anything is written. */
async function checkCsvHeader(file: CsvFile, mapping: CsvMapping): Promise<void> {
  for await (const record of csvRecords(file.path, mapping.delimiter)) {
    csvLayout(mapping, record.fields, file.name);
    return;
  }
  throw new ImportInputError([`file: ${file.name} is empty (a CSV with a header row is expected)`]);
}
