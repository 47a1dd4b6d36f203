import { ImportInputError } from '@libs/app/src/import/import-input-error';
import { NO_COUNTS } from '@libs/db/src/repositories/imports.repository';
import { describeSummary, parseArguments } from './import.cli';

function problems(args: string[]): string[] {
  try {
    parseArguments(args);
  } catch (error) {
    if (error instanceof ImportInputError) return error.problems;
    throw error;
  }
  return [];
}

describe('npm run import -- …', () => {
  it('reads the source, the mapping, the dry run and the path', () => {
    expect(parseArguments(['--source', 'csv', '--mapping', 'map.json', '--dry-run', 'history.csv'])).toEqual({
      source: 'csv',
      mapping: 'map.json',
      dryRun: true,
      path: 'history.csv',
    });
    expect(parseArguments(['export/', '--source', 'delighted'])).toEqual({ source: 'delighted', mapping: null, dryRun: false, path: 'export/' });
  });

  it('names the option that is wrong', () => {
    expect(problems([])).toEqual([
      '--source: must be delighted or csv',
      'path: give exactly one folder (the Delighted export) or CSV file (usage: npm run import -- --source delighted|csv [--mapping file.json] [--dry-run] <path>)',
    ]);
    expect(problems(['--source', 'qualtrics', 'x.csv'])).toEqual(['--source: must be delighted or csv (got "qualtrics")']);
    expect(problems(['--source', 'csv', 'x.csv'])).toEqual(['--mapping: a CSV import needs its column mapping (a JSON file; see README "Importing history")']);
    expect(problems(['--source', 'delighted', '--mapping', 'm.json', 'dir'])).toEqual(['--mapping: only a CSV import takes a mapping']);
    expect(problems(['--source', 'csv', '--mapping', '--dry-run', 'x.csv'])).toEqual(expect.arrayContaining(['--mapping: needs a value']));
    expect(problems(['--source', 'delighted', '--force', 'dir'])).toEqual([expect.stringMatching(/^--force: is not an option/)]);
  });

  it('prints the summary with each refused record', () => {
    const text = describeSummary({
      id: null,
      dryRun: true,
      kind: 'csv',
      source: 'csv',
      status: 'succeeded',
      files: [],
      counts: { ...NO_COUNTS, answers: 3, imported: 1, matched: 1, refused: 2 },
      refusals: [{ file: 'h.csv', row: 2, line: 3, reason: 'invalid_score', detail: 'score "x" is not a whole number from 0 to 10' }],
      error: null,
      startedAt: new Date(),
      finishedAt: new Date(),
    });
    expect(text).toBe(
      'dry run (nothing written): csv, source "csv", succeeded\n' +
        'answers read 3: imported 1 (matched 1, unmatched 0), already imported 0, not NPS 0, refused 2\n' +
        '  refused h.csv row 2 (line 3): invalid_score: score "x" is not a whole number from 0 to 10\n' +
        '  … and 1 more refused\n',
    );
  });
});
