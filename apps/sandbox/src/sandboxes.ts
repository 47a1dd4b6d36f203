import { INestApplication, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SANDBOX_KITS } from '../../../connectors/core/registry';
import { SandboxKit, SandboxPerson, VendorSandbox } from '../../../connectors/core/src';
import { MountedSandbox } from './sandbox.module';

type BuiltSandbox = VendorSandbox & { people?(limit: number): SandboxPerson[] };

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

  mounted(): MountedSandbox[] {
    return this.kits.map((k) => ({ name: k.kind, basePath: `/sandbox/${k.kind}`, imitates: k.imitates }));
  }

  route(app: INestApplication): void {
    for (const kit of this.kits) {
      app.use(`/sandbox/${kit.kind}`, (req: IncomingMessage, res: ServerResponse) => {
        const served = this.built.get(kit.kind);
        if (served) return served.sandbox.handle(req, res);
        res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '1' }).end('sandbox starting');
      });
    }
  }

  build(publicUrl: string): ServedSandbox[] {
    const people: SandboxPerson[] = [];
    const ordered = [...this.kits].sort((a, b) => Number(a.role === 'helpdesk') - Number(b.role === 'helpdesk'));
    for (const kit of ordered) {
      const basePath = `/sandbox/${kit.kind}`;
      const baseUrl = publicUrl + basePath;
      const sandbox: BuiltSandbox = kit.create({ baseUrl, people: kit.role === 'helpdesk' ? people : undefined });
      if (kit.role === 'crm' && !people.length) people.push(...(sandbox.people?.(50) ?? []));
      this.built.set(kit.kind, { kit, name: kit.kind, basePath, imitates: kit.imitates, baseUrl, sandbox });
    }
    this.logger.log({ sandboxes: [...this.built.keys()] }, 'vendor sandboxes ready');
    return [...this.built.values()];
  }

  get(kind: string): ServedSandbox | undefined {
    return this.built.get(kind);
  }
}
