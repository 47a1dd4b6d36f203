import nock from 'nock';
import { VendorError } from '@connectors/core/src';
import { stallingServer } from '@test/support/stalling-server';
import { zendeskConnector } from './index';

describe('Zendesk request deadline', () => {
  afterAll(() => nock.restore());

  it('a read whose answer stalls mid-body fails at the deadline (ETIMEDOUT) after its retries, instead of hanging', async () => {
    const server = await stallingServer();
    nock.enableNetConnect('127.0.0.1');
    try {
      const connector = zendeskConnector.create({
        credentials: { authType: 'api_token', subdomain: 'acme', email: 'admin@acme.test', apiToken: 'tok', baseUrl: server.url },
        settings: zendeskConnector.withDefaults({ requestsPerMinute: 2500 }),
        sleep: async () => undefined,
        requestTimeoutMs: 200,
      });
      const error = await connector.findTicketsByExternalId('nps-bridge:follow-up:1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorError);
      expect([(error as VendorError).kind, (error as VendorError).details.code]).toEqual(['unavailable', 'ETIMEDOUT']);
      expect(server.requests.length).toBeGreaterThan(1); // retried, each attempt bounded
      expect(new Set(server.requests.map((r) => r.split('?')[0]))).toEqual(new Set(['GET /api/v2/tickets.json']));
    } finally {
      await server.close();
    }
  });
});
