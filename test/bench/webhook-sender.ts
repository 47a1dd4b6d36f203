import { Agent, request } from 'node:http';
import { zendeskSignature } from '@connectors/zendesk/src/zendesk-webhook-verifier';

/**
 * The "vendor" side of bench:webhooks, in its own process: sends N signed solved-ticket
 * deliveries (a share of them repeated, as Zendesk retries do) over loopback with keep-alive
 * connections, and prints {sent, accepted, seconds, p99_ms} as one JSON line.
 * Usage: webhook-sender <endpoint> <secret> <unique> <duplicateShare> <concurrency>
 */
interface Delivery {
  body: Buffer;
  headers: Record<string, string>;
}

function deliveries(secret: string, unique: number, duplicateShare: number): Delivery[] {
  const list: Delivery[] = [];
  const timestamp = new Date().toISOString();
  for (let i = 0; i < unique; i++) {
    const body = Buffer.from(
      JSON.stringify({
        ticket_id: String(100_000 + i),
        status: 'Solved',
        requester_id: String(500_000 + i),
        requester_email: `requester${i}@bench.example`,
        requester_name: `Requester ${i}`,
        organization_id: '',
        organization_external_id: '',
        group_id: '360004',
        assignee_id: '880012',
        subject: `Bench ticket ${i}`,
        updated_at: timestamp.slice(0, 16) + 'Z',
        tags: '',
      }),
    );
    const delivery = {
      body,
      headers: {
        'content-type': 'application/json',
        'x-zendesk-webhook-invocation-id': String(9_000_000_000 + i),
        'x-zendesk-webhook-signature-timestamp': timestamp,
        'x-zendesk-webhook-signature': zendeskSignature(secret, timestamp, body),
      },
    };
    list.push(delivery);
    if (i % Math.round(1 / duplicateShare) === 0) list.push(delivery); // a retried delivery: same invocation id
  }
  // Spread the repeats through the run, deterministically.
  return list
    .map((d, i) => ({ d, k: (i * 2654435761) % 4294967296 }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.d);
}

async function main(): Promise<void> {
  const [endpoint, secret, uniqueArg, shareArg, concurrencyArg] = process.argv.slice(2);
  const list = deliveries(secret, Number(uniqueArg), Number(shareArg));
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: Number(concurrencyArg) });
  const latencies: number[] = [];
  let accepted = 0;
  let next = 0;
  const send = (d: Delivery) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { ...d.headers, 'content-length': d.body.length } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(d.body);
    });
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Number(concurrencyArg) }, async () => {
      while (next < list.length) {
        const d = list[next++];
        const t = process.hrtime.bigint();
        const status = await send(d);
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (status === 202) accepted++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))];
  agent.destroy();
  process.stdout.write(JSON.stringify({ sent: list.length, accepted, seconds, p99_ms: p99 }) + '\n');
}

main().catch((error: Error) => {
  process.stderr.write(`webhook-sender: ${error.message}\n`);
  process.exit(1);
});
