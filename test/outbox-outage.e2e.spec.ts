import { Logger } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { OutboxDispatcher } from '@libs/app/src/outbox/outbox-dispatcher';
import { createHubSpotSandbox, HubSpotSandbox, SANDBOX_PRIVATE_APP_TOKEN } from '@apps/sandbox/src/hubspot';
import { CLOCK, Clock } from '@libs/config/src';
import { OutboxRepository } from '@libs/db/src/repositories/outbox.repository';
import { startTestService, TestService } from './support/service';
import { listenSandbox, ListeningSandbox, VendorSandbox } from '@apps/sandbox/src/kit/sandbox';

const START = Date.parse('2026-11-02T10:00:00Z');

/**
 * The HubSpot sandbox, with a hook that runs once when the next record update arrives, before the
 * sandbox answers it: what a person does in the product while our write is on the wire.
 */
class SandboxWithHook implements VendorSandbox {
  readonly name = 'hubspot';
  beforeNextUpdate: (() => Promise<void>) | undefined;

  constructor(readonly inner: HubSpotSandbox) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    const hook = req.method === 'POST' && /\/batch\/update$/.test(req.url ?? '') ? this.beforeNextUpdate : undefined;
    if (!hook) return this.inner.handle(req, res);
    this.beforeNextUpdate = undefined;
    hook().then(
      () => this.inner.handle(req, res),
      (error: Error) => res.destroy(error),
    );
  }

  calls = () => this.inner.calls();
  resetCalls = () => this.inner.resetCalls();
}

describe('the outbox through a CRM outage (faults cost seconds)', () => {
  let service: TestService;
  let db: DataSource;
  let sandbox: SandboxWithHook;
  let served: ListeningSandbox;
  let connectionId: string;
  let now = START;

  beforeAll(async () => {
    ConnectorBuilder.sleepOverride = async () => undefined;
    service = await startTestService({ api: false, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    const clock: Clock = service.app.get(CLOCK);
    clock.now = () => new Date(now);
    sandbox = new SandboxWithHook(createHubSpotSandbox({ companies: 5, contactsPerCompany: 1, seed: 5, npsFields: true }));
    served = await listenSandbox(sandbox);
    const credentials = service.app.get(ConnectorBuilder).encrypt({ authType: 'private_app', accessToken: SANDBOX_PRIVATE_APP_TOKEN, baseUrl: served.url });
    [{ id: connectionId }] = await db.query(
      `INSERT INTO connections (kind, name, credentials_encrypted, settings, status) VALUES ('hubspot', 'HubSpot sandbox', $1, '{}', 'active') RETURNING id`,
      [credentials],
    );
  });
  afterAll(async () => {
    ConnectorBuilder.sleepOverride = undefined;
    jest.restoreAllMocks();
    await served?.close();
    await service?.close();
  });

  const outbox = () => new OutboxRepository(db.manager);
  const deliver = () => service.app.get(OutboxDispatcher).deliverDue();
  const rows = () =>
    db.query(`SELECT id::text, status, merged_into::text, payload -> 'fields' AS fields, last_error FROM outbox WHERE connection_id = $1 ORDER BY id`, [connectionId]) as Promise<
      Array<{ id: string; status: string; merged_into: string | null; fields: Record<string, unknown>; last_error: string | null }>
    >;

  it('a failed update whose record changed again meanwhile merges into the newer update, which lands within a minute of recovery', async () => {
    const company = sandbox.inner.portal.companies[0].id;
    const errors = jest.spyOn(Logger.prototype, 'error');
    await outbox().enqueueFieldUpdate(connectionId, 'account', company, { nps_relational: 40, nps_sentiment: 'passive' }, new Date(now));

    // The CRM is down; while our write is out, the account's NPS changes again (a new pending update).
    sandbox.inner.outage(true);
    sandbox.beforeNextUpdate = () => outbox().enqueueFieldUpdate(connectionId, 'account', company, { nps_relational: -20 }, new Date(now));
    expect(await deliver()).toMatchObject({ delivered: 0, retried: 1, failed: 0 });
    expect(sandbox.beforeNextUpdate).toBeUndefined(); // the newer update really arrived mid-delivery

    const [first, newer] = await rows();
    expect(first).toMatchObject({ status: 'merged', merged_into: newer.id, last_error: expect.stringMatching(new RegExp(`^merged into the newer update ${newer.id} after: `)) });
    // Both changes in one pending write; the newer value wins where both set a field.
    expect(newer).toMatchObject({ status: 'pending', fields: { nps_relational: -20, nps_sentiment: 'passive' } });
    expect(errors).not.toHaveBeenCalled();

    // While the outage lasts, the newer update backs off like any other.
    now += 5_000;
    expect(await deliver()).toMatchObject({ delivered: 0, retried: 1 });

    sandbox.inner.outage(false);
    now += 60_000;
    expect(await deliver()).toMatchObject({ delivered: 1, retried: 0, failed: 0 });
    expect(sandbox.inner.companyProperties(company)).toMatchObject({ nps_relational: '-20', nps_sentiment: 'passive' });
    expect((await rows()).map((r) => r.status)).toEqual(['merged', 'delivered']);
    expect(errors).not.toHaveBeenCalled();
  });

  it('a retried update with no newer one for its record simply waits for its backoff', async () => {
    const company = sandbox.inner.portal.companies[1].id;
    await outbox().enqueueFieldUpdate(connectionId, 'account', company, { nps_relational: 10 }, new Date(now));
    sandbox.inner.outage(true);
    expect(await deliver()).toMatchObject({ retried: 1 });
    const [row] = (await rows()).filter((r) => r.fields.nps_relational === 10);
    expect(row).toMatchObject({ status: 'pending', merged_into: null });
    sandbox.inner.outage(false);
    now += 60_000;
    expect(await deliver()).toMatchObject({ delivered: 1 });
    expect(sandbox.inner.companyProperties(company)).toMatchObject({ nps_relational: '10' });
  });

  it('a newer update committed while the retry statement runs is met on a second try, not a unique-key error', async () => {
    const company = sandbox.inner.portal.companies[2].id;
    await outbox().enqueueFieldUpdate(connectionId, 'account', company, { nps_relational: 30, nps_sentiment: 'passive' }, new Date(now));
    const [claimed] = await outbox().claim(connectionId, 'crm.update_record', 10, new Date(now), 'account');
    expect(claimed.payload).toMatchObject({ externalId: company });

    // A newer update is written but not yet committed when the retry starts: the retry waits on it.
    const writer = db.createQueryRunner();
    await writer.connect();
    await writer.startTransaction();
    try {
      await new OutboxRepository(writer.manager).enqueueFieldUpdate(connectionId, 'account', company, { nps_relational: 0 }, new Date(now));
      const retried = db.transaction((tx) => new OutboxRepository(tx).retry(claimed.id, claimed.attempts, 'HTTP 503', new Date(now)));
      await waitForLockWait();
      await writer.commitTransaction();
      expect(await retried).toBe('merged');
    } finally {
      if (writer.isTransactionActive) await writer.rollbackTransaction();
      await writer.release();
    }
    const mine = (await rows()).filter((r) => r.id === claimed.id || (r.merged_into === null && r.fields.nps_relational === 0));
    expect(mine).toEqual([
      expect.objectContaining({ id: claimed.id, status: 'merged', merged_into: mine[1].id }),
      expect.objectContaining({ status: 'pending', fields: { nps_relational: 0, nps_sentiment: 'passive' } }),
    ]);
  });

  /** Until some statement of this database waits for a row or index lock held by another transaction. */
  async function waitForLockWait(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const [{ waiting }] = await db.query(`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      if (waiting > 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error('the retry never waited for the uncommitted newer update');
  }
});
