import { createServer, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { createHubSpotSandbox } from '@apps/sandbox/src/hubspot';
import { busiestWindow } from './rolling-window';

/**
 * The HubSpot sandbox in its own process, with a meter in front: the arrival time of every API
 * request (everything but /_sandbox and /_bench), and how many were answered 429, as HubSpot's
 * own counters would see them (the sandbox itself refuses past 190 in a rolling 10 s per token).
 * `node metered-sandbox-server.js <accounts> [options JSON]`; prints one JSON line with the URL.
 *   GET  /_bench/meter  {calls, http429, maxIn10s, per10s, cpuMs}: the meter since the last reset
 *        (per10s: arrivals in each 10 s since the reset; cpuMs: this process's CPU time)
 *   POST /_bench/reset  starts metering again
 */
const TEN_SECONDS = 10_000;

async function main(): Promise<void> {
  const [size, optionsJson] = process.argv.slice(2);
  const options = JSON.parse(optionsJson ?? '{}') as Record<string, unknown>;
  const sandbox = createHubSpotSandbox({ companies: Number(size ?? 1000), contactsPerCompany: 3, seed: 42, ...options });
  let arrivals: number[] = [];
  let http429 = 0;
  let resetAt = Date.now();
  let cpu = process.cpuUsage();
  const per10s = () => {
    const counts: number[] = [];
    for (const t of arrivals) counts[Math.floor((t - resetAt) / TEN_SECONDS)] = (counts[Math.floor((t - resetAt) / TEN_SECONDS)] ?? 0) + 1;
    return Array.from(counts, (n) => n ?? 0).join(' ');
  };
  const meter = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/_bench/meter') {
      const used = process.cpuUsage(cpu);
      const cpuMs = Math.round((used.user + used.system) / 1000);
      return meter(res, { calls: arrivals.length, http429, maxIn10s: busiestWindow(arrivals, TEN_SECONDS), per10s: per10s(), cpuMs });
    }
    if (path === '/_bench/reset') {
      arrivals = [];
      http429 = 0;
      resetAt = performance.timeOrigin + performance.now();
      cpu = process.cpuUsage();
      return meter(res, { reset: true });
    }
    if (!path.startsWith('/_sandbox')) {
      arrivals.push(performance.timeOrigin + performance.now());
      res.on('finish', () => {
        if (res.statusCode === 429) http429++;
      });
    }
    sandbox.handle(req, res);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }) + '\n');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main().catch((error: Error) => {
  process.stderr.write(`metered-sandbox-server: ${error.message}\n`);
  process.exit(1);
});
