import request from 'supertest';
import { SANDBOX_DEFAULTS } from '@apps/sandbox/src/zendesk';

export interface ZendeskConnected {
  connectionId: string;
  /** What POST /api/connections/:id/setup answered (webhookUrl, scoreFieldId, …). */
  setup: Record<string, unknown>;
}

/** Connects the Zendesk sandbox at `sandboxUrl` through the admin API and runs its setup, as an admin would. */
export async function connectZendeskSandbox(serviceUrl: string, auth: { Authorization: string }, sandboxUrl: string): Promise<ZendeskConnected> {
  const created = await request(serviceUrl)
    .post('/api/connections')
    .set(auth)
    .send({
      kind: 'zendesk',
      name: 'Support',
      credentials: { authType: 'api_token', subdomain: 'acme', email: SANDBOX_DEFAULTS.adminEmail, apiToken: SANDBOX_DEFAULTS.apiToken, baseUrl: sandboxUrl },
    });
  if (created.status !== 201) throw new Error(`creating the Zendesk connection answered ${created.status}: ${JSON.stringify(created.body)}`);
  const setup = await request(serviceUrl).post(`/api/connections/${created.body.id}/setup`).set(auth);
  if (setup.status !== 200) throw new Error(`the Zendesk setup answered ${setup.status}: ${JSON.stringify(setup.body)}`);
  return { connectionId: created.body.id, setup: setup.body };
}
