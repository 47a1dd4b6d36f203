/**
 * The time every rule is evaluated at. Production reads the system clock; tests replace `now`
 * on the app's instance to drive schedules (a survey at +24 h, a link after 30 days).
 */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export function systemClock(): Clock {
  return { now: () => new Date() };
}
