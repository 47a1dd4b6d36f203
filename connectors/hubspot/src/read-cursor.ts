/**
 * Where a read may resume, as an inclusive "modified at or after" instant.
 *
 * - Incremental reads come sorted by modification time, so after each page the newest time seen
 *   is a safe resume point.
 * - Full reads come in id order: resuming from the newest time seen would skip the unread
 *   pages, so their pages carry null (start over) until the read is complete.
 * - A complete read ends just past the newest time seen (every record at that millisecond was
 *   read), but never later than the read's start minus a settle margin, so a record written
 *   during the read, or not yet in HubSpot's search index, is read again next time.
 */
export class ReadCursor {
  private newestMs: number | undefined;
  private readonly limitMs: number;

  constructor(
    private readonly sinceMs: number | null,
    startedAtMs: number,
    settleMs: number,
  ) {
    this.limitMs = startedAtMs - settleMs;
  }

  see(modifiedAt: string): void {
    const ms = Date.parse(modifiedAt);
    if (this.newestMs === undefined || ms > this.newestMs) this.newestMs = ms;
  }

  /** Resume point after a page that is not the last. */
  get page(): string | null {
    if (this.sinceMs === null) return null;
    return iso(Math.min(Math.max(this.sinceMs, this.newestMs ?? this.sinceMs), this.limitMs));
  }

  /** Resume point after the last page. */
  get final(): string {
    const done = this.newestMs === undefined ? (this.sinceMs ?? this.limitMs) : Math.max(this.newestMs + 1, this.sinceMs ?? -Infinity);
    return iso(Math.min(done, this.limitMs));
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The `since` option as epoch ms; null for a full read. */
export function sinceMs(since: string | null): number | null {
  if (since === null) return null;
  const ms = Date.parse(since);
  if (!Number.isFinite(ms)) throw new Error(`since must be an ISO 8601 instant, got ${JSON.stringify(since)}`);
  return ms;
}
