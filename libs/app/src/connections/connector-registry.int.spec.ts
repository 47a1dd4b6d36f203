import { DataSource } from 'typeorm';
import { createHubSpotSandbox, SANDBOX_PRIVATE_APP_TOKEN } from '@apps/sandbox/src/hubspot';
import { startTestService, TestService } from '@test/support/service';
import { OutboxDispatcher } from '../outbox/outbox-dispatcher';
import { TaskReadback } from '../follow-ups/task-readback';
import { TicketEvents } from '../planning/ticket-events';
import { CrmSyncService } from '../sync/crm-sync.service';
import { ConnectionsService } from './connections.service';
import { ConnectorBuilder } from './connector-builder';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

describe('the connector registry (one connector per connection in a process)', () => {
  let service: TestService;
  let served: ListeningSandbox;
  let db: DataSource;
  let builder: ConnectorBuilder;
  let connectionId: string;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    builder = service.app.get(ConnectorBuilder);
    served = await listenSandbox(createHubSpotSandbox({ companies: 5, contactsPerCompany: 1, seed: 3 }));
    [{ id: connectionId }] = await db.query(
      `INSERT INTO connections (kind, name, credentials_encrypted, settings, status) VALUES ('hubspot', 'HubSpot', $1, '{}', 'active') RETURNING id`,
      [builder.encrypt({ authType: 'private_app', accessToken: SANDBOX_PRIVATE_APP_TOKEN, baseUrl: served.url })],
    );
  });
  afterAll(async () => {
    await served?.close();
    await service?.close();
  });

  const row = async () => (await builder.loadWithCredentials(connectionId))!;

  it('is one provider for the connections API, the sync, the outbox, the read-back and the ticket events', () => {
    for (const user of [ConnectionsService, CrmSyncService, OutboxDispatcher, TaskReadback, TicketEvents]) {
      expect(Reflect.get(service.app.get(user as never), 'builder')).toBe(builder);
    }
  });

  it("gives the sync's connector to the next user while the connection's credentials and settings are unchanged", async () => {
    // A connector that has answered knows the vendor's usage headers; a new one knows nothing yet.
    expect(builder.build(await row()).connector.apiUsage()).toBeUndefined();
    const run = await service.app.get(CrmSyncService).run({ connectionId, trigger: 'manual' });
    expect(run?.status).toBe('succeeded');
    expect(run?.apiCalls).toBeGreaterThan(0);
    // The sync wrote the connection's status: still the same connector (and its session and limiters).
    const after = builder.build(await row()).connector;
    expect(after.apiUsage()).toEqual({ used: expect.any(Number), limit: 1_000_000 });
    // Each use counts its own calls: a new use starts from none.
    expect(after.apiCalls()).toBe(0);
    const again = await service.app.get(CrmSyncService).run({ connectionId, trigger: 'manual' });
    expect(again?.apiCalls).toBeLessThan(run!.apiCalls);
  });

  it('builds a new connector when the settings or the credentials change', async () => {
    expect(builder.build(await row()).connector.apiUsage()).toBeDefined();
    await db.query(`UPDATE connections SET settings = $2 WHERE id = $1`, [connectionId, { rateLimit: { requestsPer10s: 100 } }]);
    const rebuilt = builder.build(await row()).connector;
    expect(rebuilt.apiUsage()).toBeUndefined();
    await rebuilt.testConnection();
    expect(builder.build(await row()).connector.apiUsage()).toBeDefined();
    await builder.saveCredentials(connectionId, { authType: 'private_app', accessToken: SANDBOX_PRIVATE_APP_TOKEN, baseUrl: served.url });
    expect(builder.build(await row()).connector.apiUsage()).toBeUndefined();
  });

  it('counts every connection use in the shared budget under the connection (one row per limit)', async () => {
    const keys = await db.query(`SELECT key FROM vendor_rate_windows ORDER BY key`);
    expect(keys.map((k: { key: string }) => k.key)).toContain(`vendor:hubspot:${connectionId}:burst`);
  });
});
