import type { ReportReading } from '@libs/app/src/reports/report-tables.service';
import { Badge } from '../components';
import { accountDistributionChart, coverageChart, npsByArrChart } from './dashboard-charts';
import { Section, StreamView, Table } from './dashboard-sections';
import { ARR_BAND_LABELS, BASIS_LABELS, CATEGORY_LABELS, countText, decimalText, moneyText, npsText, QUADRANT_LABELS, shareText } from './report-format';
import { Chart } from './report-table';

const day = (iso: string) => iso.slice(0, 10);

/** ARR-weighted NPS, NPS × ARR and (relational) revenue coverage: the program's numbers in revenue. */
export function RevenueSection(props: {
  arrWeighted: ReportReading<'arr-weighted'>;
  npsByArr: ReportReading<'nps-by-arr'>;
  coverage: ReportReading<'revenue-coverage'> | null;
  view: StreamView;
}) {
  const { view } = props;
  const { weighted } = props.arrWeighted.answer.streams[view.query.stream];
  const coverage = props.coverage?.answer;
  return (
    <Section
      id="revenue"
      title="NPS and revenue"
      about="Each respondent weighted by their account's ARR divided by the account's responses in the range; its n is the Kish effective sample size."
    >
      <p>
        {weighted.nps === null
          ? 'No ARR-weighted NPS: no responding account has ARR in this range.'
          : `ARR-weighted NPS ${npsText(weighted.nps)} (effective n ${decimalText(weighted.kishN)}${weighted.lowSample ? ', low sample' : ''}) from ${countText(weighted.respondents)} responses.`}
      </p>
      <Table
        reading={props.arrWeighted}
        name="summary"
        view={view}
        caption={`${view.name} ARR-weighted NPS beside the respondent NPS`}
        empty="No responses."
        labels={{ measure: BASIS_LABELS }}
      />
      <h3>NPS × ARR: by ARR band</h3>
      <Chart spec={npsByArrChart('chart-nps-by-arr', view.query.stream, props.npsByArr.answer)} />
      <Table
        reading={props.npsByArr}
        name="arr-bands"
        view={view}
        caption={`${view.name} NPS × ARR: responses by ARR band and category`}
        empty="No responses."
        labels={{ arr_band: ARR_BAND_LABELS }}
      />
      <h3>NPS × ARR: by health quadrant</h3>
      <Table
        reading={props.npsByArr}
        name="quadrants"
        view={view}
        caption={`${view.name} NPS × ARR: by health quadrant, with its accounts and ARR`}
        empty="No quadrants."
        labels={{ quadrant: QUADRANT_LABELS }}
      />
      {props.coverage && coverage ? (
        <>
          <h3>Revenue coverage</h3>
          <p>
            {`The share of active ARR whose account had a decision maker respond in the ${coverage.windowDays} days up to ${day(coverage.asOf)}: `}
            <strong>{shareText(coverage.share)}</strong>
            {` (${moneyText(coverage.coveredArr)} of ${moneyText(coverage.activeArr)}; ${countText(coverage.coveredAccounts)} of ${countText(coverage.activeAccounts)} accounts), target ${coverage.targetPercent} %. `}
            {coverage.belowTarget ? <Badge tone="bad">below target</Badge> : coverage.share !== null ? <Badge tone="good">on target</Badge> : null}
          </p>
          <Chart spec={coverageChart('chart-coverage', coverage)} />
          <Table reading={props.coverage} name="summary" view={view} caption="Relational revenue coverage against its target" empty="No active accounts." />
        </>
      ) : null}
    </Section>
  );
}

/** Account NPS distribution and role gaps (relational only: rules §7 and §9 look at accounts' relationships). */
export function AccountsSection(props: { distribution: ReportReading<'account-distribution'> | null; roleGap: ReportReading<'role-gap'> | null; view: StreamView }) {
  const { distribution, roleGap, view } = props;
  if (!distribution || !roleGap) {
    return (
      <Section id="accounts" title="Accounts">
        <p>
          The account NPS distribution, role gaps and revenue coverage look at each account's relationship, so only the relational stream has them:{' '}
          <a href="/console">see the relational dashboard</a>.
        </p>
      </Section>
    );
  }
  const gaps = roleGap.answer;
  const listed = gaps.accounts.length;
  return (
    <Section
      id="accounts"
      title="Accounts"
      about={`Each person's latest relational answer in the 365 days up to ${day(gaps.asOf)}, so a large account with many respondents does not outweigh the others.`}
    >
      <h3>Account NPS distribution</h3>
      <Chart spec={accountDistributionChart('chart-account-distribution', distribution.answer)} />
      <Table
        reading={distribution}
        name="summary"
        view={view}
        caption="Relational NPS over accounts beside the NPS over respondents"
        empty="No accounts heard."
        labels={{ basis: BASIS_LABELS, category: CATEGORY_LABELS }}
      />
      <h3>Role gaps</h3>
      <p>
        {`${countText(gaps.flagged)} of ${countText(gaps.total)} accounts with both decision makers and end users heard are flagged: their NPS differ by more than ${gaps.flagAbovePoints} points.`}
        {gaps.total > listed ? ` The table lists the first ${countText(listed)} by account id; /api/reports/role-gap pages through all of them (limit, offset).` : ''}
      </p>
      <Table reading={roleGap} name="accounts" view={view} caption="Relational role gaps per account" empty="No account has both decision makers and end users heard." />
    </Section>
  );
}
