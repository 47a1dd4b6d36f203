import { Alert, roundFractionHalfAwayFromZero, roundNpsForDisplay, toCents } from '@libs/nps/src';
import type { NewAlert } from '@libs/db/src/repositories/alerts.repository';

/** An exact value rounded once for people (half away from zero), with its sign. */
const points = (value: number): string => String(roundNpsForDisplay(value));
const percent = (numerator: bigint, denominator: bigint): string => `${roundFractionHalfAwayFromZero(100n * numerator, denominator)} %`;

/** One sentence per alert, the same in the list, the email and the chat post. */
export function alertMessage(alert: Alert): string {
  switch (alert.kind) {
    case 'significant_drop':
      return `${alert.stream} NPS fell ${points(alert.drop)} points from ${alert.previousQuarter} (${points(alert.previousNps)}) to ${alert.quarter} (${points(alert.nps)}), a significant drop`;
    case 'declining_quarters':
      return `${alert.stream} NPS declined ${alert.quarters.length} quarters in a row (${alert.quarters.join(', ')})`;
    case 'detractor_loop_closure':
      return `${alert.stream} detractor loop closure is ${percent(BigInt(alert.closed), BigInt(alert.closed + alert.overdue))} (${alert.closed} closed, ${alert.overdue} overdue) in ${alert.period}`;
    case 'role_gap':
      return `relational role gap of ${points(alert.gap)} points between decision makers and end users at account ${alert.accountId}`;
    case 'emerging_theme':
      return `${alert.stream} theme ${alert.theme} is emerging in ${alert.quarter}: ${alert.detractorComments} detractor comments`;
    case 'revenue_coverage':
      return `relational revenue coverage is ${percent(toCents(alert.coveredArr), toCents(alert.activeArr))} of active ARR (${alert.coveredArr} of ${alert.activeArr}), below ${alert.targetPercent} %`;
  }
}

/** The row an alert is kept as: its identity, its sentence, and the rule's numbers as details. */
export function alertRecord(alert: Alert): NewAlert {
  const { cause, period, kind, stream, ...details } = alert;
  return { cause, period, kind, stream, message: alertMessage(alert), details: details as Record<string, unknown> };
}
