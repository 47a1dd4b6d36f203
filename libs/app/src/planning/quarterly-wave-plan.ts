import { ContactsRepository, QuarterlyCandidate } from '@libs/db/src/repositories/contacts.repository';
import { SurveysRepository } from '@libs/db/src/repositories/surveys.repository';
import {
  decideQuarterlySurvey,
  isSuppressed,
  localDayBounds,
  quarterlySendWindow,
  quarterlyWave,
  quarterlyWaveMonth,
  quarterOf,
  remainingBusinessDays,
  sendDecision,
  sendWindowOf,
  skipDecision,
  spreadWave,
  waveDayIndex,
  zonedInstant,
} from '@libs/nps/src';
import { ContactRow, PlanOutcome, PlanRun, planHorizon } from './relational-plan-run';

type QuarterlyContact = ContactRow & { account_active: boolean };

type Record = (surveys: SurveysRepository, contact: ContactRow, key: string, sourceRef: string, outcome: PlanOutcome, why: string, deadline: Date) => Promise<void>;

const BATCH = 500;

/** The wave month the survey must go out in: [its first local day, the next month's). */
function monthKey(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

/**
 * The quarterly wave (rules §4): each contact of an active account is surveyed in
 * month (quarter start + hash(id) mod 3). The contacts of a wave month not planned yet — the
 * whole wave on the month's first run, late arrivals on later runs — are spread over the
 * month's remaining business days: survey i of n (ordered by contact id) on day ⌊i·k/n⌋, at
 * that day's window opening. With no business day left, they are skipped `capacity`.
 * Suppression is judged at the day each survey is given, not at the day of planning.
 */
export async function planQuarterlyWaves(run: PlanRun, record: Record): Promise<void> {
  const { now, rules } = run;
  const quarter = quarterOf(now);
  const horizon = planHorizon(now);
  const window = sendWindowOf(rules);
  const waves = new Map<string, { year: number; month: number; contacts: QuarterlyContact[] }>();
  const skips: QuarterlyContact[] = [];

  // First pass, read only: who is due, grouped by wave month, in contact id order.
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const contacts: QuarterlyCandidate[] = await new ContactsRepository(run.db).quarterlyCandidatesAfter(after, quarter, BATCH);
    if (!contacts.length) break;
    after = contacts[contacts.length - 1].id;
    const surveys = new SurveysRepository(run.db);
    for (const contact of contacts.filter((c) => !c.planned)) {
      const decision = decideQuarterlySurvey(input(contact, contact.email ? await surveys.surveysOf(contact.email) : [], now), rules);
      const eligible = decision.send || decision.reason === 'suppressed';
      if (!eligible && decision.reason === 'already_surveyed_this_quarter') continue;
      if (!eligible) {
        skips.push(contact);
        continue;
      }
      if (quarterlySendWindow(contact.id, now).start > horizon) continue; // not its wave month yet
      const { year, month } = quarterlyWaveMonth(contact.id, now);
      const key = monthKey(year, month);
      if (!waves.has(key)) waves.set(key, { year, month, contacts: [] });
      waves.get(key)!.contacts.push(contact);
    }
  }

  for (const contact of skips) {
    await run.db.transaction(async (tx) => {
      const surveys = new SurveysRepository(tx);
      if (run.lockRecipients && contact.email) await surveys.lockRecipient(contact.email);
      const decision = decideQuarterlySurvey(input(contact, contact.email ? await surveys.surveysOf(contact.email) : [], now), rules);
      if (decision.send || decision.reason === 'suppressed' || decision.reason === 'already_surveyed_this_quarter') return;
      await record(surveys, contact, `quarterly:${quarter}:${contact.id}`, quarter, decision, `wave ${quarterlyWave(contact.id)} of ${quarter}`, now);
    });
  }

  for (const { year, month, contacts } of waves.values()) {
    const days = remainingBusinessDays(year, month, now, window);
    const times = spreadWave(contacts.length, year, month, now, window);
    // The survey must go out within its month (local to the program): after that it is `capacity`.
    const nextMonth = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
    const deadline = new Date(zonedInstant(`${monthKey(nextMonth.year, nextMonth.month)}-01`, 0, window.timeZone).getTime() - 1);
    for (const [i, contact] of contacts.entries()) {
      await run.db.transaction(async (tx) => {
        const surveys = new SurveysRepository(tx);
        if (run.lockRecipients && contact.email) await surveys.lockRecipient(contact.email);
        const contactSurveys = contact.email ? await surveys.surveysOf(contact.email) : [];
        const decision = decideQuarterlySurvey(input(contact, contactSurveys, now), rules);
        if (!decision.send && decision.reason !== 'suppressed') return; // changed since the first pass; the next run sees it
        const sendAt = times[i];
        const day = sendAt ? waveDayIndex(i, contacts.length, days.length) : -1;
        const why =
          `wave ${quarterlyWave(contact.id)} of ${quarter}` +
          (sendAt ? `, business day ${day + 1} of ${days.length} (${localDayBounds(sendAt, window.timeZone).date})` : ', no business day left in its month');
        const outcome: PlanOutcome = !sendAt
          ? { send: false, reason: 'capacity' }
          : isSuppressed(sendAt, contactSurveys, rules)
            ? skipDecision('suppressed')
            : sendDecision(sendAt);
        await record(surveys, contact, `quarterly:${quarter}:${contact.id}`, quarter, outcome, why, deadline);
      });
    }
  }
}

function input(contact: QuarterlyContact, contactSurveys: Awaited<ReturnType<SurveysRepository['surveysOf']>>, now: Date) {
  return { contact: { id: contact.id, email: contact.email, optedOut: contact.opted_out }, accountActive: contact.account_active, contactSurveys, now };
}
