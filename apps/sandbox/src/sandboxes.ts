import { INestApplication, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { SANDBOX_KITS } from './sandbox-kits';
import { SlackSandbox } from './slack';
import { MountedSandbox } from './sandbox-state';
import { BuiltSandbox } from './kit/sandbox-demo';
import { SandboxKit, SandboxPerson } from './kit/sandbox';

export interface ServedSandbox extends MountedSandbox {
  kit: SandboxKit;
  baseUrl: string;
  sandbox: BuiltSandbox;
}

/**
 * Serves every registered vendor sandbox at `<url>/sandbox/<kind>`. Routes are added before
 * Nest's body parsers (the sandboxes read raw bodies, as the vendors do); the sandboxes are built
 * once the app listens, since their base URL carries the port. CRM sandboxes come first, so the
 * helpdesk sandboxes' requesters are real CRM contacts.
 */
export class Sandboxes {
  private readonly built = new Map<string, ServedSandbox>();
  private readonly logger = new Logger('Sandbox');

  constructor(private readonly kits: SandboxKit[] = Object.values(SANDBOX_KITS)) {}

  /** Where alerts are posted in the demo: an imitation of a Slack incoming webhook. */
  readonly slack = new SlackSandbox();

  mounted(): MountedSandbox[] {
    return [
      ...this.kits.map((k) => ({ name: k.kind, basePath: `/sandbox/${k.kind}`, imitates: k.imitates })),
      { name: 'slack', basePath: '/sandbox/slack', imitates: 'Slack incoming webhooks (POST /webhook/<token>: ok, invalid_payload, no_text, no_service)' },
    ];
  }

  route(app: INestApplication): void {
    app.use('/sandbox/slack', (req: IncomingMessage, res: ServerResponse) => this.slack.handle(req, res));
    for (const kit of this.kits) {
      app.use(`/sandbox/${kit.kind}`, (req: IncomingMessage, res: ServerResponse) => {
        const served = this.built.get(kit.kind);
        if (served) return served.sandbox.handle(req, res);
        res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '1' }).end('sandbox starting');
      });
    }
  }

  /**
   * Builds the sandboxes. With `stateDir` (the demo's DATA_DIR/sandbox), each keeps its state in
   * `<stateDir>/<kind>.json` and continues from it on the next start; without, they live in memory.
   */
  build(publicUrl: string, stateDir?: string): ServedSandbox[] {
    const people: SandboxPerson[] = [];
    const ordered = [...this.kits].sort((a, b) => Number(a.role === 'helpdesk') - Number(b.role === 'helpdesk'));
    for (const kit of ordered) {
      const basePath = `/sandbox/${kit.kind}`;
      const baseUrl = publicUrl + basePath;
      const stateFile = stateDir ? join(stateDir, `${kit.kind}.json`) : undefined;
      const sandbox = kit.create({ baseUrl, people: kit.role === 'helpdesk' ? people : undefined, stateFile });
      if (kit.role === 'crm' && !people.length) people.push(...(sandbox.people?.(50) ?? []));
      this.built.set(kit.kind, { kit, name: kit.kind, basePath, imitates: kit.imitates, baseUrl, sandbox });
    }
    const restored = [...this.built.values()].filter((s) => s.sandbox.restored).map((s) => s.name);
    this.logger.log({ sandboxes: [...this.built.keys()], restored, stateDir }, 'vendor sandboxes ready');
    return [...this.built.values()];
  }

  get(kind: string): ServedSandbox | undefined {
    return this.built.get(kind);
  }

  all(): ServedSandbox[] {
    return [...this.built.values()];
  }

  /** Writes every sandbox's state file (at shutdown, after the app stopped changing them). */
  async flush(): Promise<void> {
    await Promise.all([...this.built.values()].map((s) => s.sandbox.flush?.()));
  }
}
