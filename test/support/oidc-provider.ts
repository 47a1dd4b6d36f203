import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** What the test provider says about a person who signs in as `login`. */
export interface TestAccountClaims {
  email?: string;
  email_verified?: boolean;
}

export interface TestOidcProvider {
  /** The issuer URL (CONSOLE_OIDC_ISSUER), listening before the client is configured. */
  issuer: string;
  /** Registers nps-bridge as the provider's one client and the accounts it can sign in; resolves once the provider answers. */
  configure(client: { client_id: string; client_secret: string; redirect_uris: string[] }, accounts: Record<string, TestAccountClaims>): Promise<void>;
  /** Stops the provider (a provider that is down, for the test that needs one); safe to call twice. */
  stop(): Promise<void>;
  /** What the provider printed on stderr (its warnings), for a failing test's message. */
  log(): string;
}

const SCRIPT = join(__dirname, 'oidc-provider.mjs');

/**
 * Starts the real OpenID provider of test/support/oidc-provider.mjs in its own Node process
 * (oidc-provider is ESM-only; Jest runs CommonJS). The process ends with the test: `stop()` in
 * afterAll, and on its own when its stdin closes (the Jest worker went away).
 */
export async function startTestOidcProvider(): Promise<TestOidcProvider> {
  const child: ChildProcess = spawn(process.execPath, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const messages: Array<Record<string, unknown>> = [];
  const waiting: Array<(m: Record<string, unknown>) => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    const next = waiting.shift();
    if (next) next(message);
    else messages.push(message);
  });
  const nextMessage = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const queued = messages.shift();
      if (queued) return resolve(queued);
      waiting.push(resolve);
      void exited.then(() => reject(new Error(`the test OpenID provider exited:\n${stderr}`)));
    });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  try {
    const { issuer } = await nextMessage();
    return {
      issuer: String(issuer),
      async configure(client, accounts) {
        child.stdin!.write(`${JSON.stringify({ client, accounts })}\n`);
        const answer = await nextMessage();
        if (answer.ready !== true) throw new Error(`the test OpenID provider answered ${JSON.stringify(answer)}`);
      },
      stop,
      log: () => stderr,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
