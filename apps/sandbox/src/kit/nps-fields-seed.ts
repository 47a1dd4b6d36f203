/**
 * The NPS fields a CRM sandbox org holds when it starts "already set up" (option npsFields: for
 * benchmarks and tests that skip the setup command): what an admin finds after running
 * nps-bridge's setup once. A real org knows none of them until setup creates them, so the demo
 * and the default sandbox start without them. Stated here as seed data, not taken from the
 * product: if the product's fields change, the connector tests against a set-up sandbox show it.
 * Each vendor's sandbox gives them its API names and its own field types.
 */

/** The field's kind, as each vendor's setup screen offers it (number, date, long text, dropdown). */
export type SeededFieldKind = 'number' | 'date' | 'textarea' | 'picklist';

export interface SeededNpsField {
  object: 'account' | 'contact';
  /** The sandbox's key for the field; each vendor's sandbox maps it to an API name. */
  key: SeededNpsKey;
  label: string;
  kind: SeededFieldKind;
  options?: readonly string[];
  description: string;
}

const CATEGORIES = ['promoter', 'passive', 'detractor'] as const;
const QUADRANTS = ['champion', 'adoption_risk', 'passive_engaged', 'passive_drifting', 'friction', 'churn_risk', 'unknown'] as const;

export const SEEDED_NPS_FIELDS = [
  { object: 'account', key: 'relationalNps', label: 'NPS (relational)', kind: 'number', description: 'Relational NPS of the account (-100..100). Written by nps-bridge.' },
  { object: 'account', key: 'decisionMakerNps', label: 'NPS decision makers', kind: 'number', description: 'Relational NPS of the decision makers. Written by nps-bridge.' },
  { object: 'account', key: 'endUserNps', label: 'NPS end users', kind: 'number', description: 'Relational NPS of the end users. Written by nps-bridge.' },
  { object: 'account', key: 'roleGap', label: 'NPS role gap', kind: 'number', description: 'Gap between decision-maker and end-user NPS. Written by nps-bridge.' },
  { object: 'account', key: 'responses12m', label: 'NPS responses (12 months)', kind: 'number', description: 'Relational responses in the last 365 days. Written by nps-bridge.' },
  { object: 'account', key: 'lastResponseDate', label: 'NPS last response date', kind: 'date', description: 'Date of the latest relational response. Written by nps-bridge.' },
  { object: 'account', key: 'sentiment', label: 'NPS sentiment', kind: 'picklist', options: CATEGORIES, description: 'Account sentiment. Written by nps-bridge.' },
  { object: 'account', key: 'healthQuadrant', label: 'NPS health quadrant', kind: 'picklist', options: QUADRANTS, description: 'Sentiment x activity. Written by nps-bridge.' },
  { object: 'contact', key: 'lastRelationalScore', label: 'NPS last score', kind: 'number', description: 'Latest relational NPS score (0-10). Written by nps-bridge.' },
  {
    object: 'contact',
    key: 'lastRelationalCategory',
    label: 'NPS last category',
    kind: 'picklist',
    options: CATEGORIES,
    description: 'Category of the latest relational score. Written by nps-bridge.',
  },
  { object: 'contact', key: 'lastRelationalDate', label: 'NPS last response date', kind: 'date', description: 'Date of the latest relational response. Written by nps-bridge.' },
  {
    object: 'contact',
    key: 'lastRelationalComment',
    label: 'NPS last comment',
    kind: 'textarea',
    description: 'Comment of the latest relational response. Written by nps-bridge.',
  },
  { object: 'contact', key: 'lastTransactionalScore', label: 'Support NPS last score', kind: 'number', description: 'Latest support ticket NPS score. Written by nps-bridge.' },
  {
    object: 'contact',
    key: 'lastTransactionalCategory',
    label: 'Support NPS last category',
    kind: 'picklist',
    options: CATEGORIES,
    description: 'Category of the latest support score. Written by nps-bridge.',
  },
  { object: 'contact', key: 'lastTransactionalDate', label: 'Support NPS last date', kind: 'date', description: 'Date of the latest support response. Written by nps-bridge.' },
  {
    object: 'contact',
    key: 'lastTransactionalComment',
    label: 'Support NPS last comment',
    kind: 'textarea',
    description: 'Comment of the latest support response. Written by nps-bridge.',
  },
] as const satisfies ReadonlyArray<Omit<SeededNpsField, 'key'> & { key: string }>;

export type SeededNpsKey = (typeof SEEDED_NPS_FIELDS)[number]['key'];
