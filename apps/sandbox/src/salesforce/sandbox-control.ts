import { IncomingMessage, ServerResponse } from 'node:http';
import type { SalesforceSandbox } from './salesforce-sandbox';
import { SandboxAction, SandboxMutation } from './sandbox-contract';
import { readBody, sendJson } from '../kit/sandbox';

/**
 * Test and benchmark controls under /_sandbox/ (not Salesforce, not counted as API calls):
 *   POST /_sandbox/mutate        data changes (SandboxMutation) or one control action (SandboxAction)
 *   GET  /_sandbox/counts        live rows per object, calls received, API usage
 *   POST /_sandbox/reset-calls   calls and the write log back to empty
 *   GET  /_sandbox/state         outage, failAfterWrite left, metadata access
 *   GET  /_sandbox/tasks         Task rows as stored (datetimes as epoch ms)
 *   GET  /_sandbox/records/{Object}/{Id}   one row's current field values
 *   GET  /_sandbox/writes        every write request received, with its body and answer
 *   GET  /_sandbox/writeback-counts   Tasks, and Accounts / Contacts holding nps-bridge field values
 *   GET  /_sandbox/fields/{Object}         the object's custom fields and their access
 */
export async function handleControl(sandbox: SalesforceSandbox, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  try {
    const get = req.method === 'GET';
    if (path === '/_sandbox/mutate' && req.method === 'POST') {
      const body = await readBody(req);
      const input = (body ? JSON.parse(body) : {}) as SandboxMutation | SandboxAction;
      const result = 'action' in input ? sandbox.mutate(input) : sandbox.mutate(input);
      return sendJson(res, 200, { ...result, counts: sandbox.counts() });
    }
    if (path === '/_sandbox/counts' && get) return sendJson(res, 200, { counts: sandbox.counts(), calls: sandbox.calls(), apiUsage: sandbox.apiUsage() });
    if (path === '/_sandbox/reset-calls' && req.method === 'POST') {
      sandbox.resetCalls();
      return sendJson(res, 200, { calls: 0 });
    }
    if (path === '/_sandbox/state' && get) return sendJson(res, 200, sandbox.controlState());
    if (path === '/_sandbox/tasks' && get) return sendJson(res, 200, { tasks: sandbox.tasks() });
    if (path === '/_sandbox/writes' && get) return sendJson(res, 200, { writes: sandbox.writes() });
    if (path === '/_sandbox/writeback-counts' && get) return sendJson(res, 200, sandbox.writebackCounts());
    const record = /^\/_sandbox\/records\/([A-Za-z0-9_]+)\/([A-Za-z0-9]{15,18})$/.exec(path);
    if (record && get) {
      const row = sandbox.record(record[1], record[2]);
      return row ? sendJson(res, 200, { record: row }) : sendJson(res, 404, { error: `no ${record[1]} ${record[2]}` });
    }
    const fields = /^\/_sandbox\/fields\/([A-Za-z0-9_]+)$/.exec(path);
    if (fields && get) return sendJson(res, 200, { fields: sandbox.customFields(fields[1]) });
    sendJson(res, 404, { error: `no sandbox control ${req.method} ${path}` });
  } catch (error) {
    sendJson(res, 400, { error: (error as Error).message });
  }
}
