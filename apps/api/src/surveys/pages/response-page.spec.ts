import type { PermalinkAnswer } from '@libs/db/src/repositories/responses.repository';
import { displayStoredNps, renderResponseNotFoundPage, renderResponsePage } from './response-page';

const answer = (extra: Partial<PermalinkAnswer> = {}): PermalinkAnswer => ({
  responseId: 'r1',
  score: 3,
  category: 'detractor',
  comment: 'Exports time out',
  referenceOptIn: false,
  stream: 'relational',
  trigger: 'pre_renewal',
  role: 'decision_maker',
  answeredAt: new Date('2026-11-03T10:00:00Z'),
  settledAt: new Date('2026-11-03T10:05:00Z'),
  email: 'pat@customer.example',
  respondentName: 'Pat Doe',
  contactId: 'c1',
  accountId: 'a1',
  accountName: 'Acme Corp',
  ticketId: null,
  ...extra,
});

const health = { quadrant: 'churn_risk', sentiment: 'detractor', relationalNps: '-12.50', responses12m: 4, computedAt: new Date('2026-11-03T10:05:00Z') };

describe('renderResponsePage', () => {
  it('shows the answer, respondent, role, date and survey, one fact per row', () => {
    const html = renderResponsePage({ company: 'Beacon Co', answer: answer(), earlier: [], health });
    expect(html).toContain('<h1>NPS answer: 3 out of 10 (detractor)</h1>');
    expect(html).toContain('<dt>Comment</dt><dd>Exports time out</dd>');
    expect(html).toContain('<dt>Respondent</dt><dd>Pat Doe &lt;pat@customer.example&gt;</dd>');
    expect(html).toContain('<dt>Role</dt><dd>decision maker</dd>');
    expect(html).toContain('<dt>Answered</dt><dd>2026-11-03 10:00 UTC</dd>');
    expect(html).toContain('<dt>Survey</dt><dd>pre renewal, relational</dd>');
    expect(html).not.toContain('Reference call');
  });

  it("shows the account's health with the NPS rounded once, half away from zero", () => {
    const html = renderResponsePage({ company: 'Beacon Co', answer: answer(), earlier: [], health });
    expect(html).toContain('<dt>Quadrant</dt><dd>churn risk</dd>');
    expect(html).toContain('<dt>Relational NPS</dt><dd>-13</dd>');
    expect(html).toContain('<dt>Sentiment</dt><dd>detractor</dd>');
    expect(renderResponsePage({ company: 'B', answer: answer(), earlier: [], health: null })).toContain('No health computed for Acme Corp yet.');
    expect(renderResponsePage({ company: 'B', answer: answer({ accountId: null, accountName: null }), earlier: [], health: null })).toContain('not linked to an account');
  });

  it('lists earlier answers newest first as a table, or says there are none', () => {
    const earlier = [
      { score: 8, category: 'passive' as const, comment: 'ok', stream: 'transactional' as const, trigger: 'ticket_solved', answeredAt: new Date('2026-08-01T09:00:00Z') },
      { score: 10, category: 'promoter' as const, comment: null, stream: 'relational' as const, trigger: 'quarterly', answeredAt: new Date('2026-05-01T09:00:00Z') },
    ];
    const html = renderResponsePage({ company: 'B', answer: answer(), earlier, health });
    const rows = [...html.matchAll(/<tr><td>([^<]+)<\/td><td>(\d+)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([
      ['2026-08-01 09:00 UTC', '8'],
      ['2026-05-01 09:00 UTC', '10'],
    ]);
    expect(html).toContain('<th scope="col">Comment</th>');
    expect(renderResponsePage({ company: 'B', answer: answer(), earlier: [], health })).toContain('No earlier answers from this person.');
  });

  it('names the ticket of a ticket answer and the opt-in of a promoter', () => {
    const html = renderResponsePage({
      company: 'B',
      answer: answer({ score: 10, category: 'promoter', stream: 'transactional', trigger: 'ticket_solved', ticketId: '123', referenceOptIn: true }),
      earlier: [],
      health,
    });
    expect(html).toContain('<dd>ticket solved (request #123), transactional</dd>');
    expect(html).toContain('<dt>Reference call or case study</dt><dd>open to it</dd>');
  });

  it('escapes everything people typed', () => {
    const html = renderResponsePage({
      company: '<b>Co</b>',
      answer: answer({ comment: '<script>alert(1)</script>', respondentName: '"><img src=x>', accountName: '<i>Acme</i>' }),
      earlier: [{ score: 1, category: 'detractor', comment: '</td><script>x</script>', stream: 'relational', trigger: 'quarterly', answeredAt: new Date() }],
      health: null,
    });
    expect(html).not.toMatch(/<script|<img|<i>|<b>Co/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('asks search engines not to index it, and no page of it carries script', () => {
    for (const html of [renderResponsePage({ company: 'B', answer: answer(), earlier: [], health }), renderResponseNotFoundPage()]) {
      expect(html).toContain('<meta name="robots" content="noindex">');
      expect(html).toContain('<meta name="referrer" content="no-referrer">');
      expect(html).not.toMatch(/<script/i);
    }
  });
});

describe('displayStoredNps', () => {
  it.each([
    ['37.50', '38'],
    ['-12.50', '-13'],
    ['-0.40', '0'],
    ['100.00', '100'],
    ['33.33', '33'],
    ['7', '7'],
  ])('%s displays as %s', (stored, shown) => expect(displayStoredNps(stored)).toBe(shown));

  it('says when there is none', () => expect(displayStoredNps(null)).toMatch(/^none yet/));
});
