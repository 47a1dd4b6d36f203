import { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { SandboxRoot } from '@libs/app/src/runtime/launch';
import { MailCatcher } from './mail-catcher';
import { SandboxModule } from './sandbox.module';
import { Sandboxes } from './sandboxes';

/** The vendor sandboxes and the mail catcher, as a process mounts them. */
export const sandboxRoot: SandboxRoot<Sandboxes, MailCatcher> = {
  sandboxes: () => new Sandboxes(),
  mailCatcher: () => new MailCatcher(),
  module: (sandboxes, mail, demo) => SandboxModule.forRoot({ mounted: sandboxes.mounted(), mail, sandboxes, demoControls: demo }),
  configure(app: INestApplication) {
    app.useLogger(app.get(Logger));
  },
};
