import type { ConsoleNavItem, ConsoleSection } from '../console-nav';

export const PROGRAM_URL = '/console/program';
export const PROGRAM_LIVE_URL = '/console/program/live';
export const PROGRAM_SETTINGS_URL = '/console/program/settings';
export const PLAN_PREVIEW_URL = '/console/program/plan';

/** The pages of the Program section (admin only); the section's overview is the main navigation's "Program". */
const PROGRAM_NAV: readonly ConsoleNavItem[] = [
  { href: PROGRAM_SETTINGS_URL, label: 'Settings', openTo: 'admin' },
  { href: PLAN_PREVIEW_URL, label: 'Plan preview', openTo: 'admin' },
];

export const PROGRAM_SECTION: ConsoleSection = { label: 'Program', items: PROGRAM_NAV };
