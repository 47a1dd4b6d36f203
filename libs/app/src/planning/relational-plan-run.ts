import { EntityManager } from 'typeorm';
import { addDays, ProgramSettings, Role, SurveyDecision } from '@libs/nps/src';

export interface ContactRow {
  id: string;
  email: string | null;
  first_name: string | null;
  role: Role;
  opted_out: boolean;
  account_id: string;
  connection_id: string;
}

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

/** Contacts with what the rules need to know about them (opted out through any survey, or in the CRM). */
export function contactsSql(where: string): string {
  return `SELECT c.id, c.email, c.first_name, c.role, c.account_id, c.connection_id,
                 (c.unsubscribed_at IS NOT NULL OR EXISTS (SELECT 1 FROM opt_outs o WHERE o.email = lower(c.email))) AS opted_out
          FROM contacts c WHERE c.deleted_at IS NULL AND ${where}`;
}

/** Surveys are planned when due within this horizon; later ones wait for a later daily run. */
export const HORIZON_DAYS = 1;

export function planHorizon(now: Date): Date {
  return addDays(now, HORIZON_DAYS);
}
