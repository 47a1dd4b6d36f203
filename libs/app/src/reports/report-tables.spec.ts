import { summariseCounts } from '@libs/nps/src';
import type { SegmentReport } from './nps-reports.service';
import { csvRecord, REPORT_NAMES, REPORT_TABLES, reportTable, tableShapesOf } from './report-tables';

const empty = { tier: {}, arrBand: {}, tenureBand: {}, role: {}, quadrant: {} };

describe('report tables', () => {
  it('give one stream’s rows only, with the exact values of the answer', () => {
    const answer: SegmentReport = {
      streams: {
        relational: { ...empty, tier: { enterprise: summariseCounts('relational', { promoters: 2, passives: 1, detractors: 0 }) } },
        transactional: { ...empty, tier: { smb: summariseCounts('transactional', { promoters: 0, passives: 0, detractors: 1 }) } },
      },
    };
    const table = reportTable('segments', 'tier', answer, 'relational');
    expect(table.rows).toEqual([
      {
        value: 'enterprise',
        responses: 3,
        promoters: 2,
        passives: 1,
        detractors: 0,
        nps: (100 * 2) / 3,
        interval_low: answer.streams.relational.tier.enterprise.interval!.low,
        interval_high: answer.streams.relational.tier.enterprise.interval!.high,
        low_sample: true,
      },
    ]);
    expect(reportTable('segments', 'tier', answer, 'transactional').rows.map((r) => r.value)).toEqual(['smb']);
  });

  it("list a segment's values in the rules' order (tiers by name), unknown last", () => {
    const one = summariseCounts('relational', { promoters: 1, passives: 0, detractors: 0 });
    const bands = { unknown: one, '100k_500k': one, '10k_50k': one, under_10k: one };
    const tiers = { unknown: one, smb: one, enterprise: one };
    const answer: SegmentReport = { streams: { relational: { ...empty, arrBand: bands, tier: tiers }, transactional: empty } };
    expect(reportTable('segments', 'arr-band', answer, 'relational').rows.map((r) => r.value)).toEqual(['under_10k', '10k_50k', '100k_500k', 'unknown']);
    expect(reportTable('segments', 'tier', answer, 'relational').rows.map((r) => r.value)).toEqual(['enterprise', 'smb', 'unknown']);
  });

  it('write CSV cells: empty for nothing, flags and numbers as text, formula-like text behind an apostrophe', () => {
    const columns = REPORT_TABLES.segments.tables.tier.columns;
    const record = csvRecord(columns, {
      value: '=SUM(A1)',
      responses: 0,
      promoters: 0,
      passives: 0,
      detractors: 0,
      nps: null,
      interval_low: null,
      interval_high: null,
      low_sample: true,
    });
    expect(record).toEqual({
      value: "'=SUM(A1)",
      responses: '0',
      promoters: '0',
      passives: '0',
      detractors: '0',
      nps: '',
      interval_low: '',
      interval_high: '',
      low_sample: 'true',
    });
    // Identifiers and numbers are never altered (a negative NPS keeps its sign).
    expect(csvRecord([{ key: 'nps', header: 'NPS', kind: 'nps', about: '' }], { nps: -12.5 })).toEqual({ nps: '-12.5' });
  });

  it('name every column once per table, and refuse a table a report does not have', () => {
    for (const report of REPORT_NAMES) {
      for (const { name, columns } of tableShapesOf(report)) {
        const keys = columns.map((c) => c.key);
        expect([report, name, new Set(keys).size]).toEqual([report, name, keys.length]);
      }
    }
    expect(() => reportTable('trend', 'weekly', { granularity: 'quarter', streams: { relational: [], transactional: [] } }, 'relational')).toThrow(RangeError);
  });
});
