import { CrmPage, paginate } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { HubSpotOwner, mapOwner } from './map-owner';
import { StreamRead } from './read-context';

/**
 * Owners: GET /crm/v3/owners, 500 per page, then the archived ones (deactivated users) as
 * inactive, so accounts they still own keep a name. HubSpot has no "modified since" filter for
 * owners and an account has few, so every read is whole and the cursor stays null.
 */
export async function* readOwners(read: StreamRead): AsyncGenerator<CrmPage<'owners'>> {
  for (const archived of [false, true]) {
    const pages = paginate<HubSpotOwner, string>(
      undefined,
      async (after) => {
        const page = await read.api.call(
          'general',
          (client) => client.crm.owners.ownersApi.getPageWithHttpInfo(undefined, after, hubspotDescriptor.ownersPageSize, archived),
          read.signal,
        );
        return { items: page.results as unknown as HubSpotOwner[], next: page.paging?.next?.after };
      },
      read.signal,
    );
    for await (const page of pages) {
      yield { stream: 'owners', upserts: page.items.map(mapOwner), deletions: [], cursor: null };
    }
  }
}
