import { csvLayout, parseCsvMapping } from './csv-mapping';
import { ImportInputError } from './import-input-error';

function problems(raw: unknown): string[] {
  try {
    parseCsvMapping(raw);
  } catch (error) {
    if (error instanceof ImportInputError) return error.problems;
    throw error;
  }
  return [];
}

describe('the CSV column mapping', () => {
  it('takes the columns and fills the defaults: source csv, relational quarterly, comma, every unmapped column a property', () => {
    expect(parseCsvMapping({ columns: { email: 'E-mail', score: 'Score', created_at: 'When' } })).toEqual({
      source: 'csv',
      columns: { email: 'E-mail', score: 'Score', created_at: 'When' },
      stream: 'relational',
      trigger: 'quarterly',
      delimiter: ',',
      tagSeparator: ',',
      properties: null,
    });
    expect(parseCsvMapping({ columns: { email: 'e', score: 's', created_at: 'd' }, trigger: 'ticket_solved' })).toMatchObject({
      stream: 'transactional',
      trigger: 'ticket_solved',
    });
    expect(parseCsvMapping({ columns: { email: 'e', score: 's', created_at: 'd' }, stream: 'transactional' })).toMatchObject({ trigger: 'ticket_solved' });
  });

  it('names each bad field', () => {
    expect(problems([])).toEqual(['mapping: must be a JSON object with "columns"']);
    expect(problems({})).toEqual([
      'mapping.columns: must be an object naming the CSV column of each of email, score, created_at, id, comment, stream, trigger, tags, name, survey_type (email, score, created_at required)',
    ]);
    expect(problems({ columns: { email: 'E', score: 'E', created_at: '' }, source: 'Has Spaces', delimiter: ';;', tagSeparator: '', properties: 'all' })).toEqual([
      'mapping.source: must be 1 to 64 lower-case letters, digits, "_", ".", ":" or "-", starting with a letter or digit',
      'mapping.columns.created_at: must be the name of a CSV column (non-empty text)',
      'mapping.columns: column "E" is mapped twice',
      'mapping.delimiter: must be one character (not a quote or a line break)',
      'mapping.tagSeparator: must be 1 to 5 characters',
      'mapping.properties: must be a list of CSV column names kept as person properties (leave it out to keep every unmapped column)',
    ]);
    expect(problems({ columns: { email: 'e', score: 's', created_at: 'd' }, stream: 'relational', trigger: 'ticket_solved' })).toEqual([
      'mapping.trigger: ticket_solved belongs to the transactional stream, not relational',
    ]);
    expect(problems({ columns: { email: 'e\u0000', score: 's', created_at: 'd' } })).toEqual(['mapping: contains a NUL character, which cannot be stored']);
  });

  it('finds the mapped columns in the header (trimmed), keeping the unmapped ones as properties unless listed', () => {
    const mapping = parseCsvMapping({ columns: { email: 'Email', score: 'Score', created_at: 'Date' } });
    expect(csvLayout(mapping, ['Date', ' Email ', 'Score', 'Plan', ''], 'a.csv')).toEqual({ index: { email: 1, score: 2, created_at: 0 }, properties: [['Plan', 3]], width: 5 });
    const listed = parseCsvMapping({ columns: { email: 'Email', score: 'Score', created_at: 'Date' }, properties: ['Region'] });
    expect(() => csvLayout(listed, ['Email', 'Score', 'Date'], 'a.csv')).toThrow('mapping.properties: column "Region" is not in the header of a.csv');
    expect(() => csvLayout(mapping, ['Email', 'Date'], 'a.csv')).toThrow('mapping.columns.score: column "Score" is not in the header of a.csv (columns: Email, Date)');
  });
});
