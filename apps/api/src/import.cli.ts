import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AlertEvaluation } from '@libs/app/src/alerts/alert-evaluation';
import { SettlementEffects } from '@libs/app/src/follow-ups/settlement-effects';
import { delightedFilesIn } from '@libs/app/src/import/delighted-export';
import { HistoryImportService, ImportRequest, ImportSummary } from '@libs/app/src/import/history-import.service';
import { ImportCounting } from '@libs/app/src/import/import-counting';
import { ImportInputError } from '@libs/app/src/import/import-input-error';
import { ProgramService } from '@libs/app/src/program/program.service';
import { loadConfig, RuntimeModule } from '@libs/config/src';
import { openDatabase, runMigrations } from '@libs/db/src';

const USAGE = 'usage: npm run import -- --source delighted|csv [--mapping file.json] [--dry-run] <path>';

interface Arguments {
  source: 'delighted' | 'csv';
  mapping: string | null;
  dryRun: boolean;
  path: string;
}

/** The command line, checked; a problem names the option. */
export function parseArguments(args: readonly string[]): Arguments {
  const problems: string[] = [];
  let source: string | null = null;
  let mapping: string | null = null;
  let dryRun = false;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--source' || arg === '--mapping') {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) problems.push(`${arg}: needs a value`);
      else if (arg === '--source') source = value;
      else mapping = value;
    } else if (arg === '--dry-run') dryRun = true;
    else if (arg.startsWith('--')) problems.push(`${arg}: is not an option (${USAGE})`);
    else paths.push(arg);
  }
  if (source !== 'delighted' && source !== 'csv') problems.push(`--source: must be delighted or csv${source === null ? '' : ` (got "${source}")`}`);
  if (source === 'csv' && mapping === null) problems.push('--mapping: a CSV import needs its column mapping (a JSON file; see README "Importing history")');
  if (source === 'delighted' && mapping !== null) problems.push('--mapping: only a CSV import takes a mapping');
  if (paths.length !== 1) problems.push(`path: give exactly one ${source === 'csv' ? 'CSV file' : 'folder (the Delighted export) or CSV file'} (${USAGE})`);
  if (problems.length) throw new ImportInputError(problems);
  return { source: source as Arguments['source'], mapping, dryRun, path: paths[0] };
}

async function request(args: Arguments): Promise<ImportRequest> {
  const common = { dryRun: args.dryRun, actor: 'cli' };
  if (args.source === 'delighted') return { kind: 'delighted', files: await delightedFilesIn(args.path), ...common };
  let text: string;
  try {
    text = await readFile(args.mapping!, 'utf8');
  } catch (error) {
    throw new ImportInputError([`--mapping: cannot read ${args.mapping} (${(error as Error).message})`]);
  }
  let mapping: unknown;
  try {
    mapping = JSON.parse(text);
  } catch (error) {
    throw new ImportInputError([`mapping: ${args.mapping} is not valid JSON (${(error as Error).message})`]);
  }
  return { kind: 'csv', file: { path: args.path, name: basename(args.path) }, mapping, ...common };
}

/** The summary as lines a person reads. */
export function describeSummary(summary: ImportSummary): string {
  const c = summary.counts;
  const lines = [
    `${summary.dryRun ? 'dry run (nothing written)' : `import ${summary.id}`}: ${summary.kind}, source "${summary.source}", ${summary.status}`,
    `answers read ${c.answers}: imported ${c.imported} (matched ${c.matched}, unmatched ${c.unmatched}), already imported ${c.alreadyImported}, not NPS ${c.notNps}, refused ${c.refused}`,
  ];
  if (c.followedUp) lines.push(`followed up like fresh answers (at most 30 days old): ${c.followedUp}`);
  if (c.people || c.optOuts) lines.push(`people read ${c.people} (new ${c.peopleImported}); unsubscribes and bounces read ${c.optOuts}, newly unsubscribed ${c.unsubscribed}`);
  for (const r of summary.refusals) lines.push(`  refused ${r.file} row ${r.row}${r.line === null ? '' : ` (line ${r.line})`}: ${r.reason}: ${r.detail}`);
  if (summary.refusals.length < c.refused) lines.push(`  … and ${c.refused - summary.refusals.length} more refused`);
  if (summary.error) lines.push(`error: ${summary.error}`);
  return lines.join('\n') + '\n';
}

/**
 * What `npm run import` does with its arguments: imports history (rules §10) into the database the
 * service uses (it joins a running embedded database, or starts it) and answers the summary.
 * Bad input throws ImportInputError before anything is written.
 */
export async function importFromCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ImportSummary> {
  const args = parseArguments(argv);
  const config = loadConfig(env);
  const built = await request(args);
  const db = await openDatabase(config);
  try {
    await runMigrations(db.url);
    // Only what importing uses (the whole application layer would load every vendor SDK for nothing).
    @Module({
      imports: [RuntimeModule.forRoot({ config: { ...config, logLevel: 'warn' }, databaseUrl: db.url, role: 'producer' })],
      providers: [HistoryImportService, ImportCounting, ProgramService, SettlementEffects, AlertEvaluation],
    })
    class ImportModule {}
    const app = await NestFactory.createApplicationContext(ImportModule, { logger: ['error', 'warn'] });
    try {
      return await app.get(HistoryImportService).run(built);
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}

/**
 * `npm run import -- --source delighted|csv [--mapping file.json] [--dry-run] <path>`. Exit 0 when
 * the import ran, 1 when it failed midway, 2 on bad input (nothing written).
 */
async function main(): Promise<void> {
  const summary = await importFromCommandLine(process.argv.slice(2));
  process.stdout.write(describeSummary(summary));
  if (summary.status === 'failed') process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: Error) => {
    if (error instanceof ImportInputError) {
      for (const problem of error.problems) process.stderr.write(`import: ${problem}\n`);
      process.exit(2);
    }
    process.stderr.write(`import: ${error.message}\n`);
    process.exit(1);
  });
}
