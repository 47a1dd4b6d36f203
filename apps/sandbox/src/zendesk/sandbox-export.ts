import { SandboxData } from './sandbox-seed';
import { metricSetJson, SandboxTicket, ticketJson } from './sandbox-records';

/**
 * The cursor-based incremental ticket export, as Zendesk documents it: tickets ordered by
 * generated_timestamp (then id), from start_time or after a cursor, up to 1,000 a page,
 * `after_cursor`/`after_url`/`end_of_stream`, changes from the last minute left out, deleted
 * tickets included with status "deleted" unless exclude_deleted=true, and ticket sideloads
 * (users, organizations, groups, metric_sets) for what the page refers to.
 */
export interface ExportRequest {
  startTime?: number;
  cursor?: string;
  include: string[];
  excludeDeleted: boolean;
}

export interface ExportOptions {
  pageSize: number;
  /** Leave out changes from the last minute, like Zendesk (tests may turn it off). */
  excludeLastMinute: boolean;
  now: number;
  baseUrl: string;
}

interface Position {
  ts: number;
  id: number;
}

/** Zendesk's cursors look like base64("1576613539.0||467|"); ours encode the same pair. */
export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.ts}.0||${position.id}|`).toString('base64');
}

export function decodeCursor(cursor: string): Position | undefined {
  const match = /^(\d+)\.0\|\|(\d+)\|$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? { ts: Number(match[1]), id: Number(match[2]) } : undefined;
}

const after = (t: SandboxTicket, p: Position) => t.generated_timestamp > p.ts || (t.generated_timestamp === p.ts && t.id > p.id);

export function exportTickets(data: SandboxData, request: ExportRequest, options: ExportOptions) {
  const start: Position | undefined = request.cursor !== undefined ? decodeCursor(request.cursor) : request.startTime !== undefined ? { ts: request.startTime, id: 0 } : undefined;
  if (!start) return undefined;
  const cutoff = Math.floor((options.excludeLastMinute ? options.now - 60_000 : options.now) / 1000);
  const pending = [...data.tickets.values()]
    .filter((t) => after(t, start) && t.generated_timestamp <= cutoff && !(request.excludeDeleted && t.status === 'deleted'))
    .sort((a, b) => a.generated_timestamp - b.generated_timestamp || a.id - b.id);
  const page = pending.slice(0, options.pageSize);
  const last = page.at(-1);
  const afterCursor = last ? encodeCursor({ ts: last.generated_timestamp, id: last.id }) : (request.cursor ?? encodeCursor(start));
  return {
    ...ticketsWithSideloads(data, page, request.include, options.baseUrl),
    after_cursor: afterCursor,
    after_url: `${options.baseUrl}/api/v2/incremental/tickets/cursor.json?cursor=${encodeURIComponent(afterCursor)}`,
    before_cursor: null,
    before_url: null,
    end_of_stream: pending.length <= options.pageSize,
  };
}

/**
 * Tickets as the API lists them with the sideloads asked for: users, organizations and groups
 * beside them; metric_sets attached to each ticket as `metric_set` (where solved_at lives).
 */
export function ticketsWithSideloads(data: SandboxData, tickets: SandboxTicket[], include: string[], baseUrl: string) {
  const metrics = include.includes('metric_sets');
  return {
    tickets: tickets.map((t) => ({ ...ticketJson(t, baseUrl), ...(metrics ? { metric_set: metricSetJson(t, baseUrl) } : {}) })),
    ...sideloads(data, tickets, include),
  };
}

function sideloads(data: SandboxData, tickets: SandboxTicket[], include: string[]) {
  const out: Record<string, unknown[]> = {};
  const ids = (pick: (t: SandboxTicket) => Array<number | null>) => [...new Set(tickets.flatMap(pick).filter((id): id is number => id !== null))];
  if (include.includes('users')) {
    out.users = ids((t) => [t.requester_id, t.submitter_id, t.assignee_id]).flatMap((id) => data.users.get(id) ?? []);
  }
  if (include.includes('organizations')) {
    out.organizations = ids((t) => [t.organization_id]).flatMap((id) => data.organizations.get(id) ?? []);
  }
  if (include.includes('groups')) {
    out.groups = ids((t) => [t.group_id]).flatMap((id) => {
      const group = data.groups.get(id);
      return group ? [{ id: group.id, name: group.name }] : [];
    });
  }
  return out;
}
