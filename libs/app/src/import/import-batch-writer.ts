import { EntityManager } from 'typeorm';
import { ContactsRepository, EmailContact } from '@libs/db/src/repositories/contacts.repository';
import { ImportedPeopleRepository } from '@libs/db/src/repositories/imported-people.repository';
import type { ImportCounts, ImportRefusal } from '@libs/db/src/repositories/imports.repository';
import { OptOutsRepository } from '@libs/db/src/repositories/opt-outs.repository';
import { ImportedAnswerRow, ResponseSnapshot, ResponsesRepository } from '@libs/db/src/repositories/responses.repository';
import { SurveysRepository } from '@libs/db/src/repositories/surveys.repository';
import {
  attributeTicketRequester,
  decideImportedAnswer,
  importedAnswerIsFollowedUp,
  importedEmail,
  parseImportInstant,
  ProgramSettings,
  Role,
  segmentSnapshot,
  tagThemes,
  tenureBand,
} from '@libs/nps/src';
import { groupBy } from '../group-by';
import { SourceAnswer, SourceOptOut, SourcePerson } from './source-answer';
import { timeOrderedUuid } from './time-ordered-id';

/** What one import writes with: its id, the key namespace, the time it runs at and the program's rules. */
export interface ImportContext {
  importId: string;
  source: string;
  now: Date;
  rules: ProgramSettings;
  /** Snapshot parts already worked out in this import. */
  snapshots: KnownSnapshots;
}

/** What a batch added to the summary, and the imported answers to follow up like fresh ones. */
export interface BatchOutcome {
  counts: Partial<ImportCounts>;
  refusals: ImportRefusal[];
  followUpIds: string[];
}

const refusalOf = (answer: { file: string; row: number; line: number | null }, reason: string, detail: string): ImportRefusal => ({
  file: answer.file,
  row: answer.row,
  line: answer.line,
  reason,
  detail,
});

/** The parts of a snapshot that do not move with the answer's date, by the values they come from (role, tier, ARR). */
export type KnownSnapshots = Map<string, Omit<ResponseSnapshot, 'tenureBand'>>;
const KNOWN_SNAPSHOTS_MAX = 10_000;

/**
 * The CRM contact an address belongs to (rules §11: with several, the one with an account, then
 * the smallest id) and the segment snapshot its answer gets (rules §3): the contact's role and its
 * account's tier, ARR band and enterprise mark as they are now, the tenure band at the answer's
 * date. Each address is judged once per batch, the date-free part of a snapshot worked out once
 * per role, tier and ARR (and kept in `known` for the batches after).
 */
export function contactMatcher(contacts: readonly EmailContact[], rules: ProgramSettings, known: KnownSnapshots = new Map()) {
  const byEmail = groupBy(contacts, (contact) => contact.email);
  const chosen = new Map<string, EmailContact | null>();
  const choose = (email: string): EmailContact | null => {
    const candidates = byEmail.get(email) ?? [];
    const { contactId } = attributeTicketRequester({
      requesterEmail: email,
      organizationExternalId: null,
      contacts: candidates.map((c) => ({ id: c.id, email: c.email, accountId: c.account_id })),
    });
    return candidates.find((c) => c.id === contactId) ?? null;
  };
  const bases = new Map<EmailContact, Omit<ResponseSnapshot, 'tenureBand'>>();
  const baseOf = (contact: EmailContact, answeredAt: Date) => {
    let base = bases.get(contact);
    if (base) return base;
    // The base depends only on these, not on the contact: contacts of one account with one role share it.
    // A null is `n`, a text `t` and the text (database text holds no NUL, so no two keys meet).
    const key = `${contact.role}\u0000${contact.tier === null ? 'n' : `t${contact.tier}`}\u0000${contact.arr === null ? 'n' : `t${contact.arr}`}`;
    base = known.get(key);
    if (!base) {
      const full = segmentSnapshot({ role: contact.role as Role, account: { tier: contact.tier, arr: contact.arr, customerSince: null }, now: answeredAt }, rules);
      base = { role: full.role, tier: full.tier, arrBand: full.arrBand, enterprise: full.enterprise };
      if (known.size >= KNOWN_SNAPSHOTS_MAX) known.clear();
      known.set(key, base);
    }
    bases.set(contact, base);
    return base;
  };
  return (email: string, answeredAt: Date): { contact: EmailContact; snapshot: ResponseSnapshot } | null => {
    let contact = chosen.get(email);
    if (contact === undefined) {
      contact = choose(email);
      chosen.set(email, contact);
    }
    if (!contact) return null;
    const base = baseOf(contact, answeredAt);
    const tenure = contact.customer_since === null ? null : tenureBand(contact.customer_since, answeredAt, rules);
    return { contact, snapshot: { role: base.role, tier: base.tier, arrBand: base.arrBand, enterprise: base.enterprise, tenureBand: tenure } };
  };
}

/** What the source said beyond the answer; its own extras (Delighted's) after, as given (none in a CSV row: no spread of an empty object). */
function detailsOf(source: SourceAnswer, person: { name: string | null } | undefined): Record<string, unknown> {
  const name = source.name ?? person?.name ?? null;
  for (const key in source.details) {
    if (Object.hasOwn(source.details, key)) return { name, personRef: source.personRef, tags: source.tags, properties: source.properties, ...source.details };
  }
  return { name, personRef: source.personRef, tags: source.tags, properties: source.properties };
}

/**
 * A batch of answers: checked (rules §10), matched by email, kept once per key; on the caller's
 * transaction. The batch is taken: it is emptied once its rows are built, so a batch waiting on
 * the database holds each answer once, as its row.
 */
export async function writeAnswers(db: EntityManager, context: ImportContext, answers: SourceAnswer[]): Promise<BatchOutcome> {
  const { now, rules } = context;
  const counts = { answers: answers.length, imported: 0, alreadyImported: 0, matched: 0, unmatched: 0, notNps: 0, refused: 0, followedUp: 0 };
  const refusals: ImportRefusal[] = [];
  const refuse = (answer: SourceAnswer, reason: string, detail: string) => {
    counts.refused++;
    refusals.push(refusalOf(answer, reason, detail));
  };

  // An answer naming only its person takes the email the source's people file gave them.
  const refs = answers.filter((a) => a.email === undefined && a.personRef !== null).map((a) => a.personRef!);
  const people = await new ImportedPeopleRepository(db).contactDetailsOf(context.source, refs);

  // The rows first, without their contact: the answers are not needed past this loop.
  const rows: ImportedAnswerRow[] = [];
  for (const source of answers) {
    const named = source.email === undefined && source.personRef !== null;
    const person = named ? people.get(source.personRef!) : undefined;
    const decision = decideImportedAnswer(source.email === undefined ? { ...source, email: person?.email ?? null } : source, now);
    if (decision.kind === 'not_nps') counts.notNps++;
    else if (decision.kind === 'refused') {
      refuse(source, decision.reason, named && decision.reason === 'no_email' && !person ? `person ${source.personRef} is not among the people of the export` : decision.detail);
    } else if (source.originalId === null) refuse(source, 'missing_id', 'the answer has no id');
    else {
      const { answer } = decision;
      const changedAt = parseImportInstant(source.changedAt);
      rows.push({
        id: timeOrderedUuid(),
        ref: source.originalId,
        stream: answer.stream,
        trigger: answer.trigger,
        contactId: null,
        accountId: null,
        score: answer.score,
        category: answer.category,
        comment: source.comment,
        themes: tagThemes(source.comment, rules),
        snapshot: null,
        answeredAt: answer.answeredAt,
        changedAt: changedAt && changedAt > answer.answeredAt ? changedAt : answer.answeredAt,
        email: answer.email,
        details: detailsOf(source, person),
      });
    }
  }
  answers.length = 0;
  if (!rows.length) return { counts, refusals, followUpIds: [] };

  const match = contactMatcher(await new ContactsRepository(db).liveByEmails([...new Set(rows.map((r) => r.email))]), rules, context.snapshots);
  // rules §10: an answer older than 30 days never creates follow-ups or CRM writes.
  const recent: string[] = [];
  for (const row of rows) {
    const matched = match(row.email, row.answeredAt);
    if (!matched) continue;
    row.contactId = matched.contact.id;
    row.accountId = matched.contact.account_id;
    row.snapshot = matched.snapshot;
    if (importedAnswerIsFollowedUp(row.answeredAt, now)) recent.push(row.id);
  }
  const added = await new ResponsesRepository(db).insertImported({ source: context.source, importId: context.importId, now }, rows, recent);
  counts.imported = added.inserted;
  counts.matched = added.matched;
  counts.unmatched = added.inserted - added.matched;
  counts.alreadyImported = rows.length - added.inserted;
  counts.followedUp = added.watched.length;
  return { counts, refusals, followUpIds: added.watched };
}

/** A batch of the source's people, kept once per (source, id): their last sent time counts for suppression. */
export async function writePeople(db: EntityManager, context: ImportContext, people: readonly SourcePerson[]): Promise<BatchOutcome> {
  const peopleImported = await new ImportedPeopleRepository(db).keepNew(
    people.map((p) => ({
      source: context.source,
      originalId: p.originalId,
      importId: context.importId,
      email: p.email,
      name: p.name,
      createdAt: p.createdAt,
      lastSentAt: p.lastSentAt,
      lastRespondedAt: p.lastRespondedAt,
      nextSurveyScheduledAt: p.nextSurveyScheduledAt,
    })),
  );
  return { counts: { peopleImported }, refusals: [], followUpIds: [] };
}

/**
 * A batch of unsubscribes and bounces (rules §10): every address is opted out (kept once, at its
 * source time), its contacts unsubscribed and its waiting surveys cancelled. Without a time the
 * import's time is used: an unsubscribe is never dropped for want of a date.
 */
export async function writeOptOuts(db: EntityManager, context: ImportContext, optOuts: readonly SourceOptOut[]): Promise<BatchOutcome> {
  const refusals: ImportRefusal[] = [];
  const rows: Array<{ email: string; at: Date; origin: SourceOptOut['origin'] }> = [];
  for (const optOut of optOuts) {
    const email = importedEmail(optOut.email);
    if (typeof email === 'string') rows.push({ email, at: optOut.at ?? context.now, origin: optOut.origin });
    else refusals.push(refusalOf(optOut, email.reason, email.detail));
  }
  const added = await new OptOutsRepository(db).recordImported(rows, context.importId);
  await new ContactsRepository(db).markUnsubscribedAmong(rows);
  await new SurveysRepository(db).cancelScheduledForOptOuts([...new Set(rows.map((r) => r.email))]);
  return { counts: { unsubscribed: added.length, refused: refusals.length }, refusals, followUpIds: [] };
}
