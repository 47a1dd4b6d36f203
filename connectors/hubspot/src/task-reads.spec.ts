import nock from 'nock';
import { CrmTaskMatch, CrmTaskState } from '@connectors/core/src';
import { HubSpotConnector } from './hubspot-connector';
import { hubspotConnector } from './index';

const HS = 'https://api.hubapi.com';
const SEARCH = '/crm/v3/objects/tasks/search';

function connect() {
  return hubspotConnector.create({
    credentials: { authType: 'private_app', accessToken: 'pat-na1-test' },
    settings: hubspotConnector.withDefaults(undefined),
    sleep: async () => undefined,
  }) as HubSpotConnector;
}

const task = (id: string, properties: Record<string, string>) => ({ id, properties, createdAt: '2026-03-01T00:00:00Z', updatedAt: '2026-03-01T00:00:00Z', archived: false });

async function all<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('HubSpot task reads (nock)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });

  it('readTasks: one search on hs_lastmodifieddate GTE since and the NPS token, ascending, 200 a page; only NPS subjects', async () => {
    const since = '2026-03-01T00:00:00.000Z';
    let request: Record<string, unknown> | undefined;
    nock(HS)
      .post(SEARCH)
      .reply(200, (_uri, body) => {
        request = body as Record<string, unknown>;
        return {
          total: 3,
          results: [
            task('1', { hs_task_subject: 'NPS passive (8/10): ask Ana', hs_task_status: 'NOT_STARTED', hs_lastmodifieddate: '2026-03-01T10:00:00Z' }),
            task('2', { hs_task_subject: 'Renewal: NPS deck for Acme', hs_task_status: 'COMPLETED', hs_lastmodifieddate: '2026-03-01T10:30:00Z' }),
            task('3', {
              hs_task_subject: 'NPS detractor (3/10): call Ben',
              hs_task_status: 'COMPLETED',
              hs_task_completion_date: '1772362800000',
              hs_lastmodifieddate: '2026-03-01T11:00:00Z',
            }),
          ],
        };
      });

    const pages = await all<CrmTaskState>(connect().readTasks(since));

    expect(request).toEqual({
      filterGroups: [
        {
          filters: [
            { propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(Date.parse(since)) },
            { propertyName: 'hs_task_subject', operator: 'CONTAINS_TOKEN', value: 'NPS' },
          ],
        },
      ],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['hs_task_subject', 'hs_task_status', 'hs_task_completion_date', 'hs_lastmodifieddate'],
      limit: 200,
    });
    expect(pages).toEqual([
      [
        { externalId: '1', completed: false, completedAt: null, modifiedAt: '2026-03-01T10:00:00.000Z' },
        { externalId: '3', completed: true, completedAt: new Date(1772362800000).toISOString(), modifiedAt: '2026-03-01T11:00:00.000Z' },
      ],
    ]);
  });

  it('readTasks(null) reads from the beginning and follows the pages', async () => {
    const afters: unknown[] = [];
    nock(HS)
      .post(SEARCH)
      .times(2)
      .reply(200, (_uri, body) => {
        const { after, filterGroups } = body as { after?: string; filterGroups: Array<{ filters: Array<{ value: string }> }> };
        afters.push([after, filterGroups[0].filters[0].value]);
        const page = after === undefined ? ['1', '2'] : ['3'];
        return {
          total: 3,
          results: page.map((id) => task(id, { hs_task_subject: `NPS ${id}`, hs_task_status: 'NOT_STARTED', hs_lastmodifieddate: `2026-03-01T0${id}:00:00Z` })),
          ...(after === undefined ? { paging: { next: { after: '2' } } } : {}),
        };
      });

    const pages = await all<CrmTaskState>(connect().readTasks(null));

    expect(afters).toEqual([
      [undefined, '0'],
      ['2', '0'],
    ]);
    expect(pages.map((p) => p.map((t) => t.externalId))).toEqual([['1', '2'], ['3']]);
  });

  it('findTasksCreatedSince: search on hs_createdate; subject and UTC due date, no associations', async () => {
    const since = new Date('2026-03-02T08:00:00.000Z');
    let request: Record<string, unknown> | undefined;
    nock(HS)
      .post(SEARCH)
      .reply(200, (_uri, body) => {
        request = body as Record<string, unknown>;
        return {
          total: 3,
          results: [
            task('11', { hs_task_subject: 'NPS detractor (2/10): call Ana', hs_timestamp: '2026-03-04T23:30:00Z', hs_createdate: '2026-03-02T08:00:01Z' }),
            task('12', { hs_task_subject: 'Call about NPS', hs_timestamp: '2026-03-04T09:00:00Z', hs_createdate: '2026-03-02T08:00:02Z' }),
            task('13', { hs_task_subject: 'NPS promoter (10/10): advocacy', hs_timestamp: '1772668800000', hs_createdate: '2026-03-02T08:00:03Z' }),
          ],
        };
      });

    const pages = await all<CrmTaskMatch>(connect().findTasksCreatedSince(since));

    expect(request).toEqual({
      filterGroups: [
        {
          filters: [
            { propertyName: 'hs_createdate', operator: 'GTE', value: String(since.getTime()) },
            { propertyName: 'hs_task_subject', operator: 'CONTAINS_TOKEN', value: 'NPS' },
          ],
        },
      ],
      sorts: [{ propertyName: 'hs_createdate', direction: 'ASCENDING' }],
      properties: ['hs_task_subject', 'hs_timestamp', 'hs_createdate'],
      limit: 200,
    });
    expect(pages).toEqual([
      [
        { externalId: '11', subject: 'NPS detractor (2/10): call Ana', contactExternalId: null, accountExternalId: null, dueDate: '2026-03-04' },
        { externalId: '13', subject: 'NPS promoter (10/10): advocacy', contactExternalId: null, accountExternalId: null, dueDate: '2026-03-05' },
      ],
    ]);
  });
});
