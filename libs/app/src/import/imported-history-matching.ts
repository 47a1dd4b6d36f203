import { EntityManager } from 'typeorm';
import { ContactsRepository } from '@libs/db/src/repositories/contacts.repository';
import { ProgramSettingsRepository } from '@libs/db/src/repositories/program-settings.repository';
import { ImportedAnswerMatch, ResponsesRepository } from '@libs/db/src/repositories/responses.repository';
import { programSettings, ProgramSettingsOverrides } from '@libs/nps/src';
import { contactMatcher } from './import-batch-writer';

/** Imported answers matched per transaction. */
const MATCH_BATCH = 2_000;

/**
 * After a CRM sync has written a connection's contacts (rules §10): an opt-out reaches a contact
 * that appeared after it (an imported unsubscribe or bounce, or a survey link), and an imported
 * answer still without a contact is matched when its email now belongs to a live contact, with
 * the snapshot it would have had at import. A matched answer is not followed up afterwards: by
 * then it was imported as history. Nothing is read beyond one indexed lookup when nothing waits.
 */
export async function matchImportedHistory(db: EntityManager, connectionId: string, now: Date): Promise<number> {
  await new ContactsRepository(db).applyOptOuts(connectionId);
  let matched = 0;
  let rules: ReturnType<typeof programSettings> | undefined;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const responses = new ResponsesRepository(tx);
      const waiting = await responses.unmatchedImportedOfConnection(connectionId, MATCH_BATCH);
      if (!waiting.length) return true;
      rules ??= programSettings((((await new ProgramSettingsRepository(tx).read()) ?? {}) as { rules?: ProgramSettingsOverrides }).rules ?? {});
      const match = contactMatcher(await new ContactsRepository(tx).liveByEmails([...new Set(waiting.map((w) => w.email))]), rules);
      const matches: ImportedAnswerMatch[] = [];
      for (const answer of waiting) {
        const found = match(answer.email, new Date(answer.answered_at));
        if (found) matches.push({ id: answer.id, contactId: found.contact.id, accountId: found.contact.account_id, snapshot: found.snapshot });
      }
      // Every waiting answer's email belongs to a live contact, so each is matched once: none comes back.
      await responses.attachImported(
        waiting.map((w) => w.id),
        matches,
        now,
      );
      matched += matches.length;
      return waiting.length < MATCH_BATCH;
    });
    if (done) return matched;
  }
}
