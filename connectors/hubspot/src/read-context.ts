import { CrmPage, CrmStream } from '@connectors/core/src';
import { HubSpotApi } from './hubspot-api';
import { HubSpotSettings } from './hubspot-settings';
import { ObjectType, listPages } from './object-pages';
import { ReadCursor } from './read-cursor';

/** What each stream reader needs for one read. */
export interface StreamRead {
  api: HubSpotApi;
  settings: HubSpotSettings;
  /** Epoch ms of `since`; null for a full read. */
  since: number | null;
  cursor: ReadCursor;
  signal?: AbortSignal;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Deletions: HubSpot keeps archived records listable (`archived=true`) for 90 days. A full read
 * reports them all; an incremental one only those archived at or after `since` (or whose
 * archive time HubSpot does not say). These pages end every read, so the last one carries the
 * read's final cursor.
 */
export async function* archivedPages<S extends Extract<CrmStream, 'accounts' | 'contacts'>>(stream: S, type: ObjectType, read: StreamRead): AsyncGenerator<CrmPage<S>> {
  for await (const page of listPages(read.api, type, { properties: ['hs_object_id'], archived: true }, read.signal)) {
    const deletions = page.items
      .filter((record) => {
        if (read.since === null || record.archivedAt === undefined) return true;
        return new Date(record.archivedAt).getTime() >= read.since;
      })
      .map((record) => String(record.id));
    yield { stream, upserts: [], deletions, cursor: page.next === undefined ? read.cursor.final : read.cursor.page };
  }
}
