import { Module } from '@nestjs/common';
import type { MailCatcher } from '@apps/sandbox/src/mail-catcher';
import type { Sandboxes } from '@apps/sandbox/src/sandboxes';
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
 * together (the all-in-one). The only place that imports more than one app. An app is loaded
 * only when chosen: a worker-only process does not hold the console's pages and charts (ECharts
 * alone is ~20 MB of memory) nor the sandboxes.
 */
export async function roots(parts: Parts): Promise<Roots<Sandboxes, MailCatcher>> {
  return {
    api: parts.api ? (await import('@apps/api/src/api-root')).apiRoot : undefined,
    worker: parts.worker ? (await import('@apps/worker/src/worker-root')).workerRoot : undefined,
    sandbox: parts.sandbox ? (await import('@apps/sandbox/src/sandbox-root')).sandboxRoot : undefined,
    demo: parts.api && parts.worker && parts.sandbox ? demoRoot : undefined,
  };
}

/** Starts the chosen apps in this process (see launch's start). */
export async function start(parts: Parts, env: NodeJS.ProcessEnv = process.env): Promise<Launched> {
  return startRoots(await roots(parts), env);
}
