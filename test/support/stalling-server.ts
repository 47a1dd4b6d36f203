import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';

export interface StallingServer {
  url: string;
  /** "METHOD /path" of each request received. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A vendor that answers 200 with headers and the start of a JSON body, then goes silent with the
 * connection open: what a connector's request deadline exists for.
 */
export async function stallingServer(): Promise<StallingServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"results":[');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
