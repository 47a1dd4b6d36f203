import { randomUUID } from 'node:crypto';
import type { ImportedAnswerRow } from '@libs/db/src/repositories/responses.repository';

/** An imported answer as the import writes it: unmatched (no contact) and a passive 7 unless `extra` says otherwise. */
export const importedAnswer = (ref: string, extra: Partial<ImportedAnswerRow> = {}): ImportedAnswerRow => ({
  id: randomUUID(),
  ref,
  stream: 'relational',
  trigger: 'quarterly',
  contactId: null,
  accountId: null,
  score: 7,
  category: 'passive',
  comment: null,
  themes: [],
  snapshot: null,
  answeredAt: new Date('2025-03-04T05:06:07.890Z'),
  changedAt: new Date('2025-03-05T05:06:07.890Z'),
  email: `${ref}@customer.example`,
  details: {},
  ...extra,
});
