/**
 * The values some columns hold (checked by the tables' constraints in migrations/). The tables
 * these describe are read and written by raw SQL in the repositories, so they need no entity.
 */

/** contacts.role, responses.role */
export type ContactRole = 'decision_maker' | 'admin' | 'end_user' | 'other';

/** responses.category */
export type ResponseCategory = 'promoter' | 'passive' | 'detractor';

/** surveys.stream, responses.stream */
export type SurveyStream = 'relational' | 'transactional';

/** surveys.trigger, responses.trigger */
export type SurveyTrigger = 'quarterly' | 'pre_renewal' | 'ticket_solved' | 'onboarding';
