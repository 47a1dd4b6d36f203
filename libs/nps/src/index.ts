/**
 * nps: the NPS program's product rules as pure functions (described in libs/nps/README.md).
 * No I/O, no clock (pass `now`), no randomness, no framework or vendor imports.
 */
export * from './types';
export * from './settings';
export * from './send-window';
export * from './money';
export * from './calendar';
export * from './score';
export * from './segments';
export * from './suppression';
export * from './ticket-survey';
export * from './pre-renewal-survey';
export * from './quarterly-survey';
export * from './follow-up-policy';
export * from './loop-closure';
export * from './health';
export * from './themes';
export * from './alerts';
export * from './report-weighted';
export * from './report-accounts';
export * from './report-trends';
export * from './history-import';
