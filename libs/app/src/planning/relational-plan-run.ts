import { EntityManager } from 'typeorm';
import type { PlanningContact } from '@libs/db/src/repositories/contacts.repository';
import { addDays, ProgramSettings, SurveyDecision } from '@libs/nps/src';

/** A contact as the plan judges it (contacts.repository.ts reads them). */
export type ContactRow = PlanningContact;

export interface RelationalPlanCounts {
  scheduled: number;
  skipped: number;
  cancelled: number;
}

/** One decision the plan took about one person (new surveys and skips; repeats are not listed). */
export interface PlanDecision {
  trigger: 'pre_renewal' | 'quarterly';
  contactId: string;
  email: string | null;
  accountId: string;
  status: 'scheduled' | 'skipped';
  /** The skip reason (null when scheduled). */
  reason: string | null;
  /** When it goes out (null when skipped). */
  scheduledAt: Date | null;
  /** Why this person, in words: the renewal date, the wave and its business day. */
  why: string;
}

/** A skip the window and cap add to the program rules: no window left in the survey's month or renewal window. */
export type PlanOutcome = SurveyDecision | { send: false; reason: 'capacity' };

/** One run of the plan: the clock it runs at, the database it writes to, who watches. */
export interface PlanRun {
  now: Date;
  db: EntityManager;
  rules: ProgramSettings;
  counts: RelationalPlanCounts;
  /** Serialise each recipient across workers (off in a preview, which rolls everything back). */
  lockRecipients: boolean;
  observe?: (decision: PlanDecision) => void;
}

/** Surveys are planned when due within this horizon; later ones wait for a later daily run. */
const HORIZON_DAYS = 1;

export function planHorizon(now: Date): Date {
  return addDays(now, HORIZON_DAYS);
}
