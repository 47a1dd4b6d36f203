import { withDemoViews } from './sandbox-views';
import { createZendeskSandbox, SANDBOX_DEFAULTS } from './zendesk-sandbox';
import { SandboxKit } from '../kit/sandbox';

/** The demo helpdesk: its requesters are CRM sandbox contacts, its organizations CRM accounts. */
export const zendeskSandboxKit: SandboxKit = {
  kind: 'zendesk',
  role: 'helpdesk',
  imitates: 'Zendesk Support (tickets, cursor export, webhooks and triggers with signed calls, ticket updates and creates with idempotency keys, ticket fields)',
  // stateFile: the demo keeps its tickets, id counters, webhook and trigger across restarts.
  // withDemoViews: the ticket pages and the survey-now control of the all-in-one demo.
  create: ({ baseUrl, people = [], stateFile }) =>
    withDemoViews(
      createZendeskSandbox({
        seed: 5,
        publicUrl: baseUrl,
        stateFile,
        knownRequesters: people.map((p) => ({ email: p.email, name: p.name, organizationExternalId: p.accountExternalId })),
        accountExternalIds: [...new Set(people.map((p) => p.accountExternalId))],
        users: 20,
        tickets: 40,
        // The demo shows a solve at once; real Zendesk leaves the last minute out of exports.
        excludeLastMinute: false,
      }),
    ),
  connection: (baseUrl) => ({
    name: 'Zendesk sandbox',
    credentials: { authType: 'api_token', subdomain: 'sandbox', email: SANDBOX_DEFAULTS.adminEmail, apiToken: SANDBOX_DEFAULTS.apiToken, baseUrl },
    settings: { npsScoreFieldId: SANDBOX_DEFAULTS.npsScoreFieldId },
  }),
  oauthApp: (baseUrl) => ({ clientId: SANDBOX_DEFAULTS.oauthClientId, clientSecret: SANDBOX_DEFAULTS.oauthClientSecret, account: { subdomain: 'sandbox', baseUrl } }),
};
