import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VendorError } from '@connectors/core/src';
import { mapTicket, sideloadsOf } from './map-ticket';
import { TicketExportPage } from './zendesk-records';

const page = JSON.parse(readFileSync(join(__dirname, '../fixtures/ticket-export-page.json'), 'utf8')) as TicketExportPage;
const sideloads = sideloadsOf(page);

describe('mapTicket', () => {
  it('maps a solved ticket with its sideloaded requester and CRM-linked organization', () => {
    expect(mapTicket(page.tickets[0], sideloads)).toEqual({
      externalId: '4711',
      status: 'solved',
      subject: 'Export stuck at 99%',
      requesterExternalId: '36201',
      requesterEmail: 'dana.scully@acme.test',
      requesterName: 'Dana Scully',
      organizationExternalId: '7301',
      organizationCrmAccountId: '001Dn00000ACMEcorp',
      groupExternalId: '360004',
      assigneeExternalId: '880012',
      solvedAt: '2026-03-02T08:41:37.000Z',
      updatedAt: '2026-03-02T08:41:37.000Z',
      tags: ['export', 'sla_gold'],
    });
  });

  it('gives a closed ticket no solvedAt (its updated_at is when it closed) and keeps a requester without email', () => {
    expect(mapTicket(page.tickets[1], sideloads)).toEqual({
      externalId: '4698',
      status: 'closed',
      subject: 'How do I add a user?',
      requesterExternalId: '36990',
      requesterEmail: null,
      requesterName: 'Walter Skinner',
      organizationExternalId: null,
      organizationCrmAccountId: null,
      groupExternalId: '360005',
      assigneeExternalId: '880013',
      solvedAt: null,
      updatedAt: '2026-03-02T08:50:02.000Z',
      tags: [],
    });
  });

  it('prefers a ticket metric solved_at when one is attached', () => {
    const ticket = { ...page.tickets[1], metric_set: { solved_at: '2026-02-20T16:00:00Z' } };
    expect(mapTicket(ticket, sideloads).solvedAt).toBe('2026-02-20T16:00:00.000Z');
  });

  it('refuses a status that is not a Zendesk status category', () => {
    const map = () => mapTicket({ ...page.tickets[0], status: 'deleted' }, sideloads);
    expect(map).toThrow(VendorError);
    expect(map).toThrow('Zendesk ticket 4711: status is not a Zendesk status category (got "deleted")');
  });

  it('refuses tags that are not a list of strings', () => {
    expect(() => mapTicket({ ...page.tickets[0], tags: 'export sla_gold' as unknown as string[] }, sideloads)).toThrow(
      'Zendesk ticket 4711: tags is not a list of tags (got "export sla_gold")',
    );
    expect(() => mapTicket({ ...page.tickets[0], tags: [42] as unknown as string[] }, sideloads)).toThrow('Zendesk ticket 4711: tags is not a list of tags (got [42])');
  });

  it('refuses an updated_at that is not an instant', () => {
    expect(() => mapTicket({ ...page.tickets[0], updated_at: 'March 2, 2026' }, sideloads)).toThrow(
      'Zendesk ticket 4711: updated_at is not an ISO 8601 instant (got "March 2, 2026")',
    );
  });
});
