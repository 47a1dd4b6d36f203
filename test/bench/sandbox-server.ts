import { createHubSpotSandbox } from '@apps/sandbox/src/hubspot';
import { createSalesforceSandbox } from '@apps/sandbox/src/salesforce';
import { createZendeskSandbox } from '@apps/sandbox/src/zendesk';
import { listenSandbox, VendorSandbox } from '@apps/sandbox/src/kit/sandbox';

/**
 * A vendor sandbox in its own process, so a benchmark measures our side only (its memory, its
 * CPU) and talks to the "vendor" over loopback: `node sandbox-server.js <kind> <accounts> [options JSON]`.
 * Prints one JSON line with the URL once listening.
 */
async function main(): Promise<void> {
  const [kind, size, optionsJson] = process.argv.slice(2);
  const accounts = Number(size ?? 1000);
  const options = JSON.parse(optionsJson ?? '{}') as Record<string, unknown>;
  const sandboxes: Record<string, () => VendorSandbox> = {
    salesforce: () => createSalesforceSandbox({ accounts, contactsPerAccount: 3, seed: 42, ...options }),
    hubspot: () => createHubSpotSandbox({ companies: accounts, contactsPerCompany: 3, seed: 42, ...options }),
    zendesk: () => createZendeskSandbox({ seed: 42, users: 50, tickets: 0, ...options }),
  };
  const make = sandboxes[kind];
  if (!make) throw new Error(`usage: sandbox-server <${Object.keys(sandboxes).join('|')}> <accounts>`);
  const served = await listenSandbox(make());
  process.stdout.write(JSON.stringify({ url: served.url }) + '\n');
  process.on('SIGTERM', () => void served.close().then(() => process.exit(0)));
}

main().catch((error: Error) => {
  process.stderr.write(`sandbox-server: ${error.message}\n`);
  process.exit(1);
});
