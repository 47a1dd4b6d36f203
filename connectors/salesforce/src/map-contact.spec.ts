import page from '../fixtures/contact-queryall-page.json';
import { mapContact } from './map-contact';

const record = (i: number, patch: Record<string, unknown> = {}) => ({ ...structuredClone(page.records[i]), ...patch });

describe('mapContact', () => {
  it('maps a recorded Contact', () => {
    expect(mapContact(record(0))).toEqual({
      externalId: '003Dn00000Bq9XyIAJ',
      modifiedAt: '2026-09-14T08:30:00.000Z',
      record: {
        externalId: '003Dn00000Bq9XyIAJ',
        accountExternalId: '001Dn00000A1bCdIAJ',
        email: 'nancy.davolio@northwind.example.com',
        firstName: 'Nancy',
        lastName: 'Davolio',
        modifiedAt: '2026-09-14T08:30:00.000Z',
      },
    });
  });

  it('keeps a private contact (no account, no email) with nulls', () => {
    expect(mapContact(record(1)).record).toEqual({
      externalId: '003Dn00000Bq9XzIAJ',
      accountExternalId: null,
      email: null,
      firstName: null,
      lastName: 'Fuller',
      modifiedAt: '2026-09-14T08:31:00.000Z',
    });
  });

  it('turns a soft-deleted contact from queryAll into a deletion', () => {
    expect(mapContact(record(2))).toEqual({ externalId: '003Dn00000Bq9Y0IAJ', modifiedAt: '2026-09-14T09:00:00.000Z', record: null });
  });

  it('refuses malformed values', () => {
    expect(() => mapContact(record(0, { Email: 42 }))).toThrow('Contact 003Dn00000Bq9XyIAJ: Email is not text');
    expect(() => mapContact(record(0, { AccountId: '001' }))).toThrow('AccountId is not a Salesforce id');
    expect(() => mapContact(record(0, { Id: undefined }))).toThrow('Id is missing from the response');
  });
});
