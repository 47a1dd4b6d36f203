import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentKey, csvItems } from './csv-history';
import { parseCsvMapping } from './csv-mapping';
import { SourceItem } from './source-answer';

describe('reading a CSV through its mapping', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'npsb-csv-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function read(csv: string, mapping: unknown): Promise<SourceItem[]> {
    const path = join(dir, `${Math.random()}.csv`);
    writeFileSync(path, csv);
    const items: SourceItem[] = [];
    for await (const chunk of csvItems({ path, name: 'in.csv' }, parseCsvMapping(mapping))) items.push(...chunk);
    return items;
  }

  it('gives each row as an answer with the line it starts on; a quoted field may span lines; blank lines are skipped but counted', async () => {
    const items = await read('\uFEFFid;email;score;at;why;tags;Plan\r\n1;a@x.example;9;2026-01-01;"two\r\nlines";a| b |;Pro\r\n\r\n2;b@x.example;3;1767225600;;;\r\n', {
      delimiter: ';',
      tagSeparator: '|',
      columns: { id: 'id', email: 'email', score: 'score', created_at: 'at', comment: 'why', tags: 'tags' },
    });
    expect(items).toEqual([
      {
        kind: 'answer',
        answer: expect.objectContaining({
          row: 1,
          line: 2,
          originalId: '1',
          email: 'a@x.example',
          score: '9',
          comment: 'two\r\nlines',
          tags: ['a', 'b'],
          properties: { Plan: 'Pro' },
          stream: 'relational',
          trigger: 'quarterly',
        }),
      },
      { kind: 'answer', answer: expect.objectContaining({ row: 2, line: 5, originalId: '2', comment: null, tags: [], properties: {} }) },
    ]);
    expect(items[0].kind === 'answer' && 'surveyType' in items[0].answer).toBe(false);
  });

  it('refuses rows of the wrong width and rows with a NUL character, naming row and line', async () => {
    const items = await read('email,score,date\na@x.example,9\nb@x.example,9,2026-01-01,extra\nc@x.example,9,2026-01-0\u00001\n', {
      columns: { email: 'email', score: 'score', created_at: 'date' },
    });
    expect(items.map((i) => (i.kind === 'refused' ? [i.refusal.row, i.refusal.line, i.refusal.reason, i.refusal.detail, i.answer] : i.kind))).toEqual([
      [1, 2, 'invalid_record', 'the row has 2 fields, the header 3', true],
      [2, 3, 'invalid_record', 'the row has 4 fields, the header 3', true],
      [3, 4, 'invalid_record', 'the row contains a NUL character, which cannot be stored', true],
    ]);
  });

  it('keys rows without an id column by their content (email case and padding do not matter)', async () => {
    const items = await read('email,score,date\nA@x.example ,9,2026-01-01\n', { columns: { email: 'email', score: 'score', created_at: 'date' } });
    expect(items[0].kind === 'answer' && items[0].answer.originalId).toBe(contentKey('a@x.example', '2026-01-01', '9', ''));
    expect(contentKey('a@x.example', '2026-01-01', '9', '')).not.toBe(contentKey('a@x.example', '2026-01-01', '8', ''));
  });

  it('takes a row’s own stream or trigger, each bringing the other’s default', async () => {
    const items = await read('email,score,date,program,trigger\na@x.example,9,2026-01-01,transactional,\nb@x.example,9,2026-01-01,,pre_renewal\nc@x.example,9,2026-01-01,,\n', {
      columns: { email: 'email', score: 'score', created_at: 'date', stream: 'program', trigger: 'trigger' },
    });
    expect(items.map((i) => i.kind === 'answer' && [i.answer.stream, i.answer.trigger])).toEqual([
      ['transactional', null],
      [null, 'pre_renewal'],
      ['relational', 'quarterly'],
    ]);
  });

  it('stops on a file csv-parse cannot read on, naming the file', async () => {
    await expect(read('email,score,date\n"a@x.example,9,2026-01-01\n', { columns: { email: 'email', score: 'score', created_at: 'date' } })).rejects.toThrow(/^in\.csv: /);
  });
});
