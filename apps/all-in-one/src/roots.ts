import { Module } from '@nestjs/common';
import { apiRoot } from '@apps/api/src/api-root';
import { MailCatcher } from '@apps/sandbox/src/mail-catcher';
import { sandboxRoot } from '@apps/sandbox/src/sandbox-root';
import { Sandboxes } from '@apps/sandbox/src/sandboxes';
import { workerRoot } from '@apps/worker/src/worker-root';
import { DemoRoot, Launched as AnyLaunched, Roots, start as startRoots } from '@libs/app/src/runtime/launch';
import { connectDemo } from './demo';
import { reconnectDemo } from './demo-restart';
import { SurveyNow } from './survey-now';
import { SurveyNowController } from './survey-now.controller';

/** The demo's survey-now control: it calls the product's services, so it lives here, not in the sandbox. */
@Module({ controllers: [SurveyNowController], providers: [SurveyNow] })
class DemoModule {}

const demoRoot: DemoRoot<Sandboxes> = {
  module: DemoModule,
  connect: async (app, served, env) => [...(await reconnectDemo(app, served)), ...(await connectDemo(app, served, env.DEMO_CRM))],
};

/** Which apps one process runs. */
export interface Parts {
  api: boolean;
  worker: boolean;
  sandbox: boolean;
}

export type Launched = AnyLaunched<Sandboxes, MailCatcher>;

/**
 * The composition root of every entry point: the apps chosen, and the demo where all three run
 * together (the all-in-one). The only place that imports more than one app.
 */
export function roots(parts: Parts): Roots<Sandboxes, MailCatcher> {
  return {
    api: parts.api ? apiRoot : undefined,
    worker: parts.worker ? workerRoot : undefined,
    sandbox: parts.sandbox ? sandboxRoot : undefined,
    demo: parts.api && parts.worker && parts.sandbox ? demoRoot : undefined,
  };
}

/** Starts the chosen apps in this process (see launch's start). */
export function start(parts: Parts, env: NodeJS.ProcessEnv = process.env): Promise<Launched> {
  return startRoots(roots(parts), env);
}
