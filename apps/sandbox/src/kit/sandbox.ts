import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import type { BuiltSandbox } from './sandbox-demo';

/**
 * A vendor imitation: answers the endpoints our connector uses with the vendor's page sizes,
 * limits and error shapes. Mountable under any path prefix (the handler gets `req.url`
 * relative to the mount) or served on its own port.
 */
export interface VendorSandbox {
  readonly name: string;
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Requests received since the last reset (what the vendor would bill). */
  calls(): number;
  resetCalls(): void;
}

export interface ListeningSandbox {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export function listenSandbox(sandbox: VendorSandbox, port = 0, host = '127.0.0.1'): Promise<ListeningSandbox> {
  const server = createServer((req, res) => sandbox.handle(req, res));
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${bound}`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Reads a request body as a string (sandboxes parse JSON or form bodies themselves). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A demo contact the CRM sandbox holds, so the helpdesk sandbox can raise tickets for it. */
export interface SandboxPerson {
  email: string;
  name: string;
  accountExternalId: string;
}

/**
 * How the all-in-one default serves a vendor's sandbox and connects to it out of the box:
 * build it at a base URL with demo data, and say which credentials reach it.
 */
export interface SandboxKit {
  kind: string;
  role: 'crm' | 'helpdesk';
  imitates: string;
  /** stateFile: where the sandbox keeps its state across restarts (the demo's DATA_DIR/sandbox/<kind>.json); unset, in memory only. */
  create(options: { baseUrl: string; people?: SandboxPerson[]; stateFile?: string }): BuiltSandbox;
  connection(baseUrl: string): { name: string; credentials: Record<string, unknown>; settings: Record<string, unknown> };
  /**
   * The OAuth app the sandbox trusts, for connecting it through its consent page as an admin
   * would ("bring your own OAuth app"): what to type as client id and secret, and the `account`.
   */
  oauthApp?(baseUrl: string): { clientId: string; clientSecret: string; account: Record<string, string> };
}

/** mulberry32: a small, fast seeded generator, so a sandbox seed always yields the same data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
