import { Controller, Get, Header, Module } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** Vendor sandboxes mounted in this process, by later features: name, base path, what it imitates. */
export interface MountedSandbox {
  name: string;
  basePath: string;
  imitates: string;
}

export const MOUNTED_SANDBOXES: MountedSandbox[] = [];

@ApiExcludeController()
@Controller('sandbox')
class SandboxIndexController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  index(): string {
    const rows = MOUNTED_SANDBOXES.map(
      (s) => `<li><a href="${s.basePath}">${s.name}</a>: imitates ${s.imitates}</li>`,
    ).join('');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>nps-bridge sandboxes</title></head>
<body><h1>Vendor sandboxes</h1>${rows ? `<ul>${rows}</ul>` : '<p>No vendor sandbox is mounted in this build yet.</p>'}</body></html>`;
  }
}

/** Serves the vendor sandboxes and the mail catcher for the demo, tests and benchmarks. */
@Module({ controllers: [SandboxIndexController] })
export class SandboxModule {}
