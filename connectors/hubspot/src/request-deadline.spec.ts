import nock from 'nock';
import { stallingServer } from '@test/support/stalling-server';
import { HubSpotConnector } from './hubspot-connector';
import { hubspotConnector } from './index';

describe('HubSpot request deadline', () => {
  afterAll(() => nock.restore());

  it('a task create whose answer stalls mid-body ends at the deadline as outcome unknown, sent once', async () => {
    const server = await stallingServer();
    nock.enableNetConnect('127.0.0.1');
    try {
      const connector = hubspotConnector.create({
        credentials: { authType: 'private_app', accessToken: 'pat-na1-test', baseUrl: server.url },
        settings: hubspotConnector.withDefaults(undefined),
        sleep: async () => undefined,
        requestTimeoutMs: 300,
      }) as HubSpotConnector;
      const [result] = await connector.createTasks([
        {
          key: 'k1',
          accountExternalId: '5001',
          contactExternalId: '1001',
          ownerExternalId: null,
          due: new Date('2026-03-02T09:00:00Z'),
          priority: 'high',
          subject: 'NPS detractor',
          description: 'x',
        },
      ]);
      expect(result).toMatchObject({ key: 'k1', error: { outcomeUnknown: true } });
      expect(result.error?.message).toContain('no complete answer within');
      expect(server.requests).toEqual(['POST /crm/v3/objects/tasks/batch/create']);
    } finally {
      await server.close();
    }
  });
});
