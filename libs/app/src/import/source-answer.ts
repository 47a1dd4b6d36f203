/** One answer as a source file states it, before the rules §10 checks; where it is, for a refusal. */
export interface SourceAnswer {
  file: string;
  row: number;
  line: number | null;
  /** The source's id of the answer; null when the record has none (refused `missing_id`). */
  originalId: string | null;
  /** The source's survey type; undefined when the source has none (every CSV row is NPS unless mapped). */
  surveyType?: unknown;
  score: unknown;
  /** The respondent's email as given; absent (undefined) when only `personRef` names the person. */
  email: unknown;
  /** The source's person id, looked up among the people imported from the same source when `email` is absent. */
  personRef: string | null;
  name: string | null;
  comment: string | null;
  answeredAt: unknown;
  /** The source's last change of the answer (Delighted's updated_at), if any. */
  changedAt: unknown;
  stream?: unknown;
  trigger?: unknown;
  tags: string[];
  properties: Record<string, unknown>;
  details: Record<string, unknown>;
}

/** A person of the source, as its people file (or an expanded answer) states them. */
export interface SourcePerson {
  file: string;
  row: number;
  line: number | null;
  originalId: string;
  email: string | null;
  name: string | null;
  createdAt: Date | null;
  lastSentAt: Date | null;
  lastRespondedAt: Date | null;
  nextSurveyScheduledAt: Date | null;
}

/** An unsubscribe or a bounce: the address is never surveyed again (rules §10). */
export interface SourceOptOut {
  file: string;
  row: number;
  line: number | null;
  email: unknown;
  at: Date | null;
  origin: 'imported_unsubscribe' | 'imported_bounce';
}

/** A record that cannot be read at all (not an object, not JSON, a row of the wrong width). */
export interface SourceRefusal {
  file: string;
  row: number;
  line: number | null;
  reason: 'invalid_record' | 'missing_id' | 'no_email' | 'invalid_email';
  detail: string;
}

export type SourceItem =
  | { kind: 'answer'; answer: SourceAnswer }
  | { kind: 'person'; person: SourcePerson }
  | { kind: 'opt_out'; optOut: SourceOptOut }
  /** `answer`: the record was read from an answer file (it counts among the answers read). */
  | { kind: 'refused'; refusal: SourceRefusal; answer: boolean };
