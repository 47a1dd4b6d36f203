import { ServerResponse } from 'node:http';
import type { HubSpotSandbox, HubSpotSandboxMutation } from './hubspot-sandbox';
import { badRequest, hubspotError } from './sandbox-errors';
import { sendJson } from '../kit/sandbox';

const RECORD = /^\/_sandbox\/(companies|contacts)\/([^/]+)$/;

/**
 * The sandbox's control surface for tests, the demo and benchmarks, under /_sandbox (never
 * billed as API calls):
 * - POST /_sandbox/mutate {action, …}: the mutations of HubSpotSandbox.mutate;
 * - GET /_sandbox: tokens and counts; /_sandbox/counts: live records;
 * - GET /_sandbox/tasks: tasks created through the API (with associations, owner, due, …);
 * - GET /_sandbox/writes: write requests received (path, input count, status);
 * - GET /_sandbox/companies/{id}, /_sandbox/contacts/{id}: a record's property values;
 * - GET /_sandbox/writeback-counts: tasks, and records holding an nps_bridge value.
 */
export class SandboxControl {
  constructor(private readonly sandbox: HubSpotSandbox) {}

  handle(method: string, path: string, raw: string, res: ServerResponse): void {
    const sandbox = this.sandbox;
    if (method === 'POST' && path === '/_sandbox/mutate') {
      try {
        const result = sandbox.mutate(JSON.parse(raw || '{}') as HubSpotSandboxMutation);
        return sendJson(res, 200, { result: result ?? null, counts: sandbox.counts() });
      } catch (error) {
        const answer = badRequest((error as Error).message);
        return sendJson(res, answer.status, answer.body);
      }
    }
    if (method === 'GET') {
      if (path === '/_sandbox/counts') return sendJson(res, 200, sandbox.counts());
      if (path === '/_sandbox/tasks') return sendJson(res, 200, { results: sandbox.tasks() });
      if (path === '/_sandbox/writes') return sendJson(res, 200, { results: sandbox.writeCalls() });
      if (path === '/_sandbox/writeback-counts') return sendJson(res, 200, sandbox.writebackCounts());
      const record = RECORD.exec(path);
      if (record) {
        const properties = record[1] === 'companies' ? sandbox.companyProperties(record[2]) : sandbox.contactProperties(record[2]);
        if (properties) return sendJson(res, 200, { id: record[2], properties });
        const missing = hubspotError(404, `No ${record[1]} record ${record[2]} in the sandbox`, 'OBJECT_NOT_FOUND');
        return sendJson(res, missing.status, missing.body);
      }
      if (path === '/_sandbox') {
        return sendJson(res, 200, {
          name: sandbox.name,
          imitates: 'HubSpot CRM API (companies, contacts, owners, properties and groups, associations v4, tasks, batch writes, OAuth token)',
          privateAppToken: sandbox.privateAppToken,
          oauth: { clientId: sandbox.oauthClient.clientId, clientSecret: sandbox.oauthClient.clientSecret, refreshToken: sandbox.oauthClient.refreshToken },
          counts: sandbox.counts(),
          calls: sandbox.calls(),
        });
      }
    }
    const answer = hubspotError(404, `No sandbox control ${method} ${path}`, 'OBJECT_NOT_FOUND');
    sendJson(res, answer.status, answer.body);
  }
}
