import type { ComponentChildren } from 'preact';
import type { CellValue, ReportTable, TableColumn } from '@libs/app/src/reports/report-tables';
import { Badge, Column, DataTable } from '../components';
import { countText, decimalText, labelOf, moneyText, NONE, npsText, shareText } from './report-format';
import { renderChart, ChartSpec } from '../svg-chart';

/** The tone of a flag's badge: a warning for a low sample, a problem for what needs attention, good news in green. */
const FLAG_TONE: Record<string, 'good' | 'bad' | 'waiting' | 'neutral'> = {
  'low sample': 'waiting',
  significant: 'neutral',
  emerging: 'bad',
  flagged: 'bad',
  'below target': 'bad',
  'below threshold': 'bad',
  covered: 'good',
};

/** One cell as the page shows it: numbers formatted (NPS rounded at display), flags as badges, labels for known values. */
function cellOf(column: TableColumn, value: CellValue, labels: Record<string, string> | undefined): ComponentChildren {
  if (value === null) return <span class="muted">{NONE}</span>;
  switch (column.kind) {
    case 'count':
      return countText(Number(value));
    case 'nps':
      return npsText(Number(value));
    case 'share':
      return shareText(Number(value));
    case 'money':
      return moneyText(String(value));
    case 'number':
      return decimalText(Number(value));
    case 'id':
      return <code>{String(value)}</code>;
    case 'flag':
      return value ? <Badge tone={FLAG_TONE[column.flag ?? ''] ?? 'neutral'}>{column.flag ?? 'yes'}</Badge> : 'no';
    default:
      return labels ? labelOf(labels, String(value)) : String(value);
  }
}

const NUMERIC = new Set(['count', 'nps', 'share', 'money', 'number']);

/**
 * A report table as the page shows it, with the link to download exactly this table as CSV
 * beside it (the same rows, unformatted). No rows: the empty state, and no download.
 */
export function ReportTableView({
  table,
  caption,
  csvHref,
  empty,
  labels = {},
}: {
  table: ReportTable;
  caption: string;
  csvHref: string;
  empty: string;
  /** Labels for the values of some columns, by column key. */
  labels?: Record<string, Record<string, string>>;
}) {
  const columns: Column<(typeof table.rows)[number]>[] = table.columns.map((column) => ({
    header: column.header,
    numeric: NUMERIC.has(column.kind),
    cell: (row) => cellOf(column, row[column.key] ?? null, labels[column.key]),
  }));
  return (
    <div class="report-table">
      {table.rows.length ? (
        <p class="download">
          <a href={csvHref} download={`${table.stream}-${table.report}-${table.name}.csv`}>
            Download CSV<span class="visually-hidden">{` of ${caption}`}</span>
          </a>
        </p>
      ) : null}
      <DataTable caption={caption} columns={columns} rows={[...table.rows]} rowKey={(row) => table.columns.map((c) => String(row[c.key])).join('|')} empty={<p>{empty}</p>} />
    </div>
  );
}

/** A chart drawn on the server as SVG (role="img", its sentence as its name), or nothing when it has nothing to draw. */
export function Chart({ spec }: { spec: ChartSpec | null }) {
  if (!spec) return null;
  return <div class="chart" dangerouslySetInnerHTML={{ __html: renderChart(spec) }} />;
}
