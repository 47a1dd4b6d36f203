/**
 * The write side of the CRM port (rules §6 follow-up tasks, rules §8 fields written back),
 * in vendor-neutral terms. Each CRM maps these onto its own objects (its task object, its
 * batch or collection endpoints).
 */

/** Where nps-bridge writes fields: the CRM's account (Account, company) or contact. */
export type CrmObject = 'account' | 'contact';

export type TaskPriority = 'high' | 'normal' | 'low';

/** Every task nps-bridge creates has a subject starting with this, so it can be read back. */
export const NPS_TASK_SUBJECT_PREFIX = 'NPS';

/** One follow-up task to create. */
export interface CrmTaskInput {
  /** Our key (the follow-up id); results come back under it. Unique within one call. */
  key: string;
  /** The account the task is about (the task's account link or association). */
  accountExternalId: string;
  /** The person the task is about (the task's contact link or association); null: the account only. */
  contactExternalId: string | null;
  /** The assignee (CRM user / owner id); null leaves the vendor's default (the API user, unassigned). */
  ownerExternalId: string | null;
  /** A CRM that keeps due dates only takes the UTC date of this; one that keeps instants, this instant. */
  due: Date;
  priority: TaskPriority;
  /** Starts with NPS_TASK_SUBJECT_PREFIX. */
  subject: string;
  description: string;
}

export type CrmFieldValue = string | number | boolean | null;

/** New values for some fields of one record; field names are the vendor's (API names). */
export interface CrmRecordUpdate {
  externalId: string;
  fields: Record<string, CrmFieldValue>;
}

export interface CrmWriteError {
  code: string;
  message: string;
  /**
   * The vendor may have written it (a 5xx or a lost connection on a create): do not blindly
   * create again; look for it first (findTasksCreatedSince).
   */
  outcomeUnknown?: boolean;
  /** The same input would fail again (validation, missing record): retrying is pointless. */
  permanent?: boolean;
}

/** One input's outcome: the vendor's id on success, an error otherwise. */
export interface CrmWriteResult {
  /** The input's key (tasks) or externalId (record updates). */
  key: string;
  externalId?: string;
  error?: CrmWriteError;
}

/** A task's state as read back for loop closure. */
export interface CrmTaskState {
  externalId: string;
  completed: boolean;
  /** When it was completed (ISO instant); null while open. */
  completedAt: string | null;
  /** The change time the read cursor advances on (ISO instant). */
  modifiedAt: string;
}

/** A task found by findTasksCreatedSince, with what identifies it. */
export interface CrmTaskMatch {
  externalId: string;
  subject: string;
  contactExternalId: string | null;
  accountExternalId: string | null;
  /** The due date as YYYY-MM-DD (UTC). */
  dueDate: string;
}

/** A field nps-bridge writes, as the setup command creates it. */
export interface CrmFieldSpec {
  object: CrmObject;
  /** The vendor's API name (NPS_Relational__c, nps_relational). */
  name: string;
  label: string;
  type: 'number' | 'text' | 'textarea' | 'date' | 'picklist';
  /** Picklist values. */
  options?: readonly string[];
  description: string;
}

export interface FieldSetupResult {
  created: CrmFieldSpec[];
  existing: CrmFieldSpec[];
  /** Fields the admin must create by hand (the API user may not), with why. */
  manual: Array<CrmFieldSpec & { reason: string }>;
}

/** The logical fields of rules §8; each CRM gives them default API names, a connection may rename them. */
export const NPS_ACCOUNT_FIELDS = ['relationalNps', 'decisionMakerNps', 'endUserNps', 'roleGap', 'responses12m', 'lastResponseDate', 'sentiment', 'healthQuadrant'] as const;
export const NPS_CONTACT_FIELDS = [
  'lastRelationalScore',
  'lastRelationalCategory',
  'lastRelationalDate',
  'lastRelationalComment',
  'lastTransactionalScore',
  'lastTransactionalCategory',
  'lastTransactionalDate',
  'lastTransactionalComment',
] as const;
export type NpsAccountField = (typeof NPS_ACCOUNT_FIELDS)[number];
export type NpsContactField = (typeof NPS_CONTACT_FIELDS)[number];

const CATEGORY_OPTIONS = ['promoter', 'passive', 'detractor'] as const;
const QUADRANT_OPTIONS = ['champion', 'adoption_risk', 'passive_engaged', 'passive_drifting', 'friction', 'churn_risk', 'unknown'] as const;

/** Label, type and meaning of each logical field; the vendor adds only the API name. */
export const NPS_FIELD_SHAPES: Readonly<Record<NpsAccountField | NpsContactField, Omit<CrmFieldSpec, 'object' | 'name'>>> = {
  relationalNps: {
    label: 'NPS (relational)',
    type: 'number',
    description: "Relational NPS of each person's latest response in the last 365 days (-100..100). Written by nps-bridge.",
  },
  decisionMakerNps: { label: 'NPS decision makers', type: 'number', description: 'Relational NPS of the decision makers. Written by nps-bridge.' },
  endUserNps: { label: 'NPS end users', type: 'number', description: 'Relational NPS of the end users. Written by nps-bridge.' },
  roleGap: { label: 'NPS role gap', type: 'number', description: '|decision-maker NPS - end-user NPS|; above 15 flags the account. Written by nps-bridge.' },
  responses12m: { label: 'NPS responses (12 months)', type: 'number', description: 'Relational responses in the last 365 days. Written by nps-bridge.' },
  lastResponseDate: { label: 'NPS last response date', type: 'date', description: 'Date of the latest relational response. Written by nps-bridge.' },
  sentiment: { label: 'NPS sentiment', type: 'picklist', options: CATEGORY_OPTIONS, description: 'Account sentiment (decision makers first). Written by nps-bridge.' },
  healthQuadrant: { label: 'NPS health quadrant', type: 'picklist', options: QUADRANT_OPTIONS, description: 'Sentiment x activity. Written by nps-bridge.' },
  lastRelationalScore: { label: 'NPS last score', type: 'number', description: 'Latest relational NPS score (0-10). Written by nps-bridge.' },
  lastRelationalCategory: {
    label: 'NPS last category',
    type: 'picklist',
    options: CATEGORY_OPTIONS,
    description: 'Category of the latest relational score. Written by nps-bridge.',
  },
  lastRelationalDate: { label: 'NPS last response date', type: 'date', description: 'Date of the latest relational response. Written by nps-bridge.' },
  lastRelationalComment: { label: 'NPS last comment', type: 'textarea', description: 'Comment of the latest relational response. Written by nps-bridge.' },
  lastTransactionalScore: { label: 'Support NPS last score', type: 'number', description: 'Latest transactional (support ticket) NPS score. Written by nps-bridge.' },
  lastTransactionalCategory: {
    label: 'Support NPS last category',
    type: 'picklist',
    options: CATEGORY_OPTIONS,
    description: 'Category of the latest transactional score. Written by nps-bridge.',
  },
  lastTransactionalDate: { label: 'Support NPS last date', type: 'date', description: 'Date of the latest transactional response. Written by nps-bridge.' },
  lastTransactionalComment: { label: 'Support NPS last comment', type: 'textarea', description: 'Comment of the latest transactional response. Written by nps-bridge.' },
};

/**
 * What every CRM connector can write. Batches follow the vendor's maxima (its descriptor's
 * batch size), one request after another; one bad record never
 * sinks its neighbours; results come back one per input, in input order.
 */
export interface CrmWriter {
  createTasks(tasks: CrmTaskInput[], signal?: AbortSignal): Promise<CrmWriteResult[]>;
  /** Results keyed by externalId. Values: numbers, 'YYYY-MM-DD' dates, strings, null clears. */
  updateRecords(object: CrmObject, updates: CrmRecordUpdate[], signal?: AbortSignal): Promise<CrmWriteResult[]>;
  /** Our tasks (subject prefix NPS) changed at or after `since` (all when null), oldest change first. */
  readTasks(since: string | null, signal?: AbortSignal): AsyncIterable<CrmTaskState[]>;
  /** Our tasks created at or after `since`: how a create whose outcome was unknown is found. */
  findTasksCreatedSince(since: Date, signal?: AbortSignal): AsyncIterable<CrmTaskMatch[]>;
  /** Creates the missing fields (when the API user may), reports the rest for the admin. */
  ensureFields(fields: CrmFieldSpec[], signal?: AbortSignal): Promise<FieldSetupResult>;
}
