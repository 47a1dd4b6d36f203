import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DelightedFile, delightedFilesIn, delightedItems, delightedKindOf } from './delighted-export';
import { SourceItem } from './source-answer';

describe("reading a Delighted export (its API's documented records)", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'npsb-delighted-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function read(kind: DelightedFile['kind'], name: string, text: string): Promise<SourceItem[]> {
    writeFileSync(join(dir, name), text);
    const items: SourceItem[] = [];
    for await (const chunk of delightedItems({ kind, name, path: join(dir, name) })) items.push(...chunk);
    return items;
  }

  it('reads survey responses from a JSON array: a person id, or the expanded person (also kept as a person)', async () => {
    const items = await read(
      'survey_responses',
      'survey_responses.json',
      JSON.stringify([
        {
          id: '1',
          person: '10',
          survey_type: 'nps',
          score: 0,
          comment: null,
          permalink: 'https://app.delighted.com/r/x',
          created_at: 1713418460,
          updated_at: null,
          person_properties: { country: 'USA' },
          notes: [],
          tags: ['vip', { name: 'at risk' }],
          additional_answers: [],
        },
        {
          id: 2,
          person: {
            id: '11',
            email: 'Lee@Example.com',
            name: 'Lee',
            created_at: 1700000000,
            last_sent_at: 1713000000,
            last_responded_at: 1713418461,
            next_survey_scheduled_at: null,
          },
          survey_type: 'nps',
          score: 8,
          created_at: 1713418461,
        },
      ]),
    );
    expect(items).toEqual([
      {
        kind: 'answer',
        answer: expect.objectContaining({
          row: 1,
          line: null,
          originalId: '1',
          personRef: '10',
          email: undefined,
          score: 0,
          comment: null,
          answeredAt: 1713418460,
          tags: ['vip', 'at risk'],
          properties: { country: 'USA' },
        }),
      },
      { kind: 'person', person: expect.objectContaining({ originalId: '11', email: 'lee@example.com', name: 'Lee', lastSentAt: new Date(1_713_000_000_000) }) },
      { kind: 'answer', answer: expect.objectContaining({ row: 2, originalId: '2', personRef: '11', email: 'Lee@Example.com', name: 'Lee' }) },
    ]);
  });

  it('reads JSON lines, refusing a line that is not JSON or not an object by its line, and reading on', async () => {
    const items = await read('people', 'people.jsonl', '{"id":"1","email":"a@x.example","last_sent_at":1713000000}\n\n[1,2]\n{"id":\n{"email":"no-id@x.example"}\n');
    expect(items.map((i) => (i.kind === 'refused' ? [i.refusal.row, i.refusal.line, i.refusal.reason, i.answer] : [i.kind]))).toEqual([
      ['person'],
      [2, 3, 'invalid_record', false],
      [3, 4, 'invalid_record', false],
      [4, 5, 'missing_id', false],
    ]);
  });

  it('reads unsubscribes and bounces as opt-outs with their time', async () => {
    const unsubscribes = await read('unsubscribes', 'unsubscribes.json', '[{"person_id":"1","email":"a@x.example","name":"A","unsubscribed_at":1437432834}]');
    const bounces = await read('bounces', 'bounces.json', '[{"person_id":"2","email":"b@x.example","name":"B","bounced_at":1440621400}]');
    expect([...unsubscribes, ...bounces]).toEqual([
      { kind: 'opt_out', optOut: expect.objectContaining({ email: 'a@x.example', at: new Date(1_437_432_834_000), origin: 'imported_unsubscribe' }) },
      { kind: 'opt_out', optOut: expect.objectContaining({ email: 'b@x.example', at: new Date(1_440_621_400_000), origin: 'imported_bounce' }) },
    ]);
  });

  it('refuses a record holding text Postgres cannot store, counting it among the answers read', async () => {
    const items = await read(
      'survey_responses',
      'survey_responses.jsonl',
      '{"id":"1","person":"1","survey_type":"nps","score":9,"comment":"bad \\u0000 byte","created_at":1713418460}\n',
    );
    expect(items).toEqual([
      { kind: 'refused', refusal: expect.objectContaining({ reason: 'invalid_record', detail: 'the record contains a NUL character, which cannot be stored' }), answer: true },
    ]);
  });

  it('stops at a JSON array that breaks off', async () => {
    await expect(read('survey_responses', 'survey_responses.json', '[{"id":"1"},{"id":')).rejects.toThrow();
  });

  it('knows the files by name and lists a folder people first, answers last; an unknown JSON file is refused by name', async () => {
    expect(['survey_responses.json', 'people-2.jsonl', 'Bounces.NDJSON', 'unsubscribes_2026.json', 'responses.json'].map(delightedKindOf)).toEqual([
      'survey_responses',
      'people',
      'bounces',
      'unsubscribes',
      null,
    ]);
    for (const name of ['survey_responses.jsonl', 'people.json', 'bounces.json', 'notes.txt', '.DS_Store']) writeFileSync(join(dir, name), '[]');
    expect((await delightedFilesIn(dir)).map((f) => f.name)).toEqual(['people.json', 'bounces.json', 'survey_responses.jsonl']);
    writeFileSync(join(dir, 'metrics.json'), '{}');
    await expect(delightedFilesIn(dir)).rejects.toThrow('path: metrics.json is not a Delighted export file (names start with people, unsubscribes, bounces, survey_responses)');
    await expect(delightedFilesIn(join(dir, 'missing'))).rejects.toThrow(/^path: cannot read/);
  });
});
