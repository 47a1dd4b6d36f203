import type { ConsoleRole } from '@libs/app/src/console-users/console-users.service';

export interface ConsoleNavItem {
  href: string;
  label: string;
  /** The least role that may open it: viewer pages are open to admins too. */
  openTo: ConsoleRole;
}

/**
 * The console's main navigation, in order; a page a role may not open is not shown to it. A new
 * area of the console adds its line here (and its sub-pages to its own section list).
 */
export const CONSOLE_NAV: readonly ConsoleNavItem[] = [
  { href: '/console', label: 'Dashboard', openTo: 'viewer' },
  { href: '/console/accounts', label: 'Accounts', openTo: 'viewer' },
  { href: '/console/alerts', label: 'Alerts', openTo: 'viewer' },
  { href: '/console/program', label: 'Program', openTo: 'admin' },
  { href: '/console/connections', label: 'Connections', openTo: 'admin' },
  { href: '/console/operations', label: 'Operations', openTo: 'admin' },
];

/** A part of the console with pages of its own: they show its sub-navigation above their h1. */
export interface ConsoleSection {
  /** The sub-navigation's accessible name. */
  label: string;
  items: readonly ConsoleNavItem[];
}

/** The pages of the Operations section (admin only). */
export const OPERATIONS_NAV: readonly ConsoleNavItem[] = [
  { href: '/console/operations/write-backs', label: 'Write-backs', openTo: 'admin' },
  { href: '/console/operations/sync-runs', label: 'Sync runs', openTo: 'admin' },
  { href: '/console/operations/webhook-deliveries', label: 'Webhook deliveries', openTo: 'admin' },
  { href: '/console/operations/admin-keys', label: 'Admin keys', openTo: 'admin' },
  { href: '/console/operations/users', label: 'Console users', openTo: 'admin' },
];

export function mayOpen(role: ConsoleRole, item: Pick<ConsoleNavItem, 'openTo'>): boolean {
  return item.openTo === 'viewer' || role === 'admin';
}

/** Whether `path` is the item's page or one under it (the dashboard only matches itself). */
export function isWithin(path: string, href: string): boolean {
  return path === href || (href !== '/console' && path.startsWith(`${href}/`));
}

export const OPERATIONS_SECTION: ConsoleSection = { label: 'Operations', items: OPERATIONS_NAV };
