import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { CsvRecord, csvRecordRuns, csvRecords, readyRuns } from './source-records';

describe('CSV records in runs', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'npsb-records-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (csv: string) => {
    const path = join(dir, `${Math.random()}.csv`);
    writeFileSync(path, csv);
    return path;
  };
  const all = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
    const out: T[] = [];
    for await (const item of items) out.push(item);
    return out;
  };

  it('are the rows csvRecords gives one by one, numbered and lined the same, across many reads of the file', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => (i % 97 === 0 ? `${i},"two\nlines",x` : i % 89 === 0 ? '' : `${i},b,c`));
    const path = file(`\uFEFFa,b,c\n${rows.join('\n')}\n`);
    const runs = await all(csvRecordRuns(path, ','));
    const one = await all(csvRecords(path, ','));
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.flat()).toEqual(one);
    expect(one[0]).toEqual({ row: 0, line: 1, fields: ['a', 'b', 'c'] });
    const multi = one.find((r: CsvRecord) => r.fields[1] === 'two\nlines')!;
    expect(one[one.indexOf(multi) + 1].line).toBe(multi.line + 2);
  });

  it('end with csv-parse’s error after the rows before it', async () => {
    const path = file('a,b\n1,2\n"3,4\n');
    const seen: CsvRecord[] = [];
    await expect(
      (async () => {
        for await (const run of csvRecordRuns(path, ',')) seen.push(...run);
      })(),
    ).rejects.toMatchObject({ code: 'CSV_QUOTE_NOT_CLOSED' });
    expect(seen.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe('readyRuns', () => {
  it('gives the chunks Readable’s iterator gives, in order, several at once', async () => {
    const chunks = Array.from({ length: 1000 }, (_, i) => ({ i }));
    const runs: Array<Array<{ i: number }>> = [];
    for await (const run of readyRuns<{ i: number }>(Readable.from(chunks))) runs.push(run);
    expect(runs.flat()).toEqual(chunks);
    expect(runs.length).toBeLessThan(chunks.length);
  });

  it('waits for chunks written later, throws the stream’s error, and destroys the stream when the loop stops early', async () => {
    const stream = new PassThrough({ objectMode: true });
    const got: number[] = [];
    const reading = (async () => {
      for await (const run of readyRuns<number>(stream)) got.push(...run);
    })();
    stream.write(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    stream.write(2);
    stream.write(3);
    await new Promise((resolve) => setTimeout(resolve, 10));
    stream.destroy(new Error('broken'));
    await expect(reading).rejects.toThrow('broken');
    expect(got).toEqual([1, 2, 3]);

    const early = new PassThrough({ objectMode: true });
    early.write('a');
    for await (const run of readyRuns<string>(early)) {
      expect(run).toEqual(['a']);
      break;
    }
    expect(early.destroyed).toBe(true);
  });
});
