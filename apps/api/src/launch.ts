import { DynamicModule, INestApplicationContext, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, ConfigError, effectivePublicUrl, loadConfig, loggerParams, RuntimeModule, setListeningUrl } from '../../../libs/config/src';
import { OpenDatabase, openDatabase, runMigrations } from '../../../libs/db/src';
import { join } from 'node:path';
import { connectDemo } from '../../sandbox/src/demo';
import { reconnectDemo } from '../../sandbox/src/demo-restart';
import { MailCatcher } from '../../sandbox/src/mail-catcher';
import { SandboxModule } from '../../sandbox/src/sandbox.module';
import { Sandboxes } from '../../sandbox/src/sandboxes';
import { MailTransport } from '../../worker/src/delivery/mail-transport';
import { WorkerModule } from '../../worker/src/worker.module';
import { AdminKeyService } from './admin-keys/admin-key.service';
import { ApiModule } from './api.module';
import { configureHttpApp } from './http-app';
import { frameBanner, writeAfterLogs } from './startup-banner';

export interface Parts {
  api: boolean;
  worker: boolean;
  sandbox: boolean;
}

export interface Launched {
  app: INestApplicationContext;
  url?: string;
  sandboxes?: Sandboxes;
  mail?: MailCatcher;
  /** What the demo connected on a first start, or set up again on a later one. */
  demo: string[];
  /**
   * Whether this start may make and print an admin key when none exists: only the all-in-one on
   * its embedded database (the try-it-out start). Elsewhere keys come from `npm run admin:key`.
   */
  firstStartKey: boolean;
  /** Lines to print loudly at start (fake vendors mounted beside a real database). */
  warnings: string[];
  /** Closes the app, then the embedded database if this process started it. */
  stop(): Promise<void>;
}

interface SandboxParts {
  sandboxes: Sandboxes;
  mail: MailCatcher | undefined;
}

function rootModule(parts: Parts, config: AppConfig, databaseUrl: string | undefined, sandbox?: SandboxParts): DynamicModule {
  const imports: Array<Type | DynamicModule> = [];
  if (databaseUrl) {
    imports.push(RuntimeModule.forRoot({ config, databaseUrl, role: parts.worker ? 'consumer' : 'producer' }));
  } else {
    imports.push(LoggerModule.forRoot(loggerParams(config.logLevel)));
  }
  if (parts.api) imports.push(ApiModule);
  if (parts.worker) imports.push(WorkerModule);
  if (sandbox) {
    // The survey-now control calls the product's services, so it exists only next to the api and worker.
    imports.push(SandboxModule.forRoot({ mounted: sandbox.sandboxes.mounted(), mail: sandbox.mail, sandboxes: sandbox.sandboxes, surveyNow: parts.api && parts.worker }));
  }
  @Module({})
  class ServiceModule {}
  return { module: ServiceModule, imports };
}

/**
 * Starts the chosen parts in this process. Configuration is validated first; the database is
 * the one in DATABASE_URL (checked now) or the embedded one; migrations run before anything
 * serves. Errors a person can fix end the process with one line naming the variable.
 */
export async function start(parts: Parts, env: NodeJS.ProcessEnv = process.env): Promise<Launched> {
  const config = loadConfig(env);
  const needsDatabase = parts.api || parts.worker;
  let db: OpenDatabase | undefined;
  if (needsDatabase) {
    db = await openDatabase(config);
    try {
      await runMigrations(db.url);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  // A sandbox-only process is the fake vendors by definition; beside the product they are
  // mounted only when SANDBOXES allows (default: only on the embedded database).
  const sandboxOnly = !parts.api && !parts.worker;
  const mountSandboxes = parts.sandbox && (sandboxOnly || config.sandboxesEnabled);
  const warnings: string[] = [];
  if (mountSandboxes && !sandboxOnly && config.databaseUrl) {
    warnings.push('SANDBOXES=on: fake vendors are mounted at /sandbox — never in production');
  }
  let sandbox: SandboxParts | undefined;
  if (mountSandboxes) {
    // Without SMTP_URL the all-in-one default catches its own survey emails (shown at /sandbox/mail).
    const mail = config.smtpUrl ? undefined : new MailCatcher();
    if (mail) {
      try {
        MailTransport.fallbackUrl = (await mail.start()).url;
      } catch (error) {
        await db?.close();
        throw error;
      }
    }
    sandbox = { sandboxes: new Sandboxes(), mail };
  }
  if (parts.worker && !config.smtpUrl && !sandbox?.mail) {
    warnings.push('SMTP_URL is not set: survey emails cannot be sent and stay scheduled until it is');
  }
  const module = rootModule(parts, config, db?.url, sandbox);
  const http = parts.api || parts.sandbox;
  let app: INestApplicationContext;
  let url: string | undefined;
  try {
    if (http) {
      const web = await NestFactory.create(module, { bufferLogs: true, rawBody: true });
      configureHttpApp(web);
      sandbox?.sandboxes.route(web);
      await web.listen(config.port, config.host);
      const address = web.getHttpServer().address();
      url = effectivePublicUrl(config, typeof address === 'object' && address ? address.port : config.port);
      setListeningUrl(url);
      app = web;
    } else {
      app = await NestFactory.createApplicationContext(module, { bufferLogs: true });
      app.useLogger(app.get(await import('nestjs-pino').then((m) => m.Logger)));
      await app.init();
    }
  } catch (error) {
    await sandbox?.mail?.stop();
    await db?.close();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      try {
        await app.close();
      } finally {
        try {
          await sandbox?.sandboxes.flush();
        } finally {
          await sandbox?.mail?.stop();
          await db?.close();
        }
      }
    })());
  let demo: string[] = [];
  if (sandbox && url) {
    const demoOn = parts.api && parts.worker && env.DEMO !== 'off';
    // The demo's sandboxes keep their state next to its database, so a restart continues the loop.
    const served = sandbox.sandboxes.build(url, demoOn ? join(config.dataDir, 'sandbox') : undefined);
    try {
      if (demoOn) demo = [...(await reconnectDemo(app, served)), ...(await connectDemo(app, served, env.DEMO_CRM))];
    } catch (error) {
      await stop();
      throw error;
    }
  }
  return {
    app,
    url,
    sandboxes: sandbox?.sandboxes,
    mail: sandbox?.mail,
    demo,
    firstStartKey: parts.api && parts.worker && parts.sandbox && db?.embedded === true,
    warnings,
    stop,
  };
}

/**
 * Prints where the service is and, on the all-in-one's first start, a fresh admin key: after the
 * startup logs and framed, so a person sees it (other starts point at `npm run admin:key`).
 */
async function announce(launched: Launched, parts: Parts): Promise<void> {
  if (!launched.url) return;
  const lines: string[] = [];
  if (parts.api) {
    lines.push(`nps-bridge API:  ${launched.url}/api`, `API docs:        ${launched.url}/docs`, `health:          ${launched.url}/health`);
  }
  if (launched.sandboxes) lines.push(`sandboxes:       ${launched.url}/sandbox`);
  if (launched.mail) lines.push(`caught mail:     ${launched.url}/sandbox/mail`);
  for (const line of launched.demo) lines.push(`demo:            ${line}`);
  if (parts.api) {
    const keys = launched.app.get(AdminKeyService);
    const none = (await keys.countActive()) === 0;
    if (none && launched.firstStartKey) {
      const created = await keys.create('first start', 'system');
      lines.push(`admin key:       ${created.key}`, '                 (shown once; send it as "Authorization: Bearer <key>")');
    } else if (none) {
      lines.push('admin key:       none yet; make one with `npm run admin:key`');
    } else {
      lines.push('admin key:       already created; make another with `npm run admin:key`');
    }
  }
  await writeAfterLogs(launched.app, frameBanner(lines));
}

/** Seconds a stop may take before the process exits anyway (the grace period plus a margin). */
function forceExitSeconds(): number {
  try {
    return loadConfig().shutdownGraceSeconds + 5;
  } catch {
    return 15; // the configuration is invalid: start() reports it
  }
}

/**
 * The entry points' main: start, announce, and stop cleanly on SIGTERM/SIGINT/SIGHUP. Signals are
 * heard from the first moment, so a stop requested while starting (a process manager giving up
 * on a slow start) still closes the embedded database this start opened. A second signal, or a
 * stop that outlasts the grace period, exits at once; the embedded database's exit hook then
 * stops Postgres, so no signal leaves it running.
 */
export async function launch(parts: Parts): Promise<void> {
  let launched: Launched | undefined;
  let stopping = false;
  const stopAndExit = (running: Launched) =>
    running.stop().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`nps-bridge: error while stopping: ${error.message}\n`);
        process.exit(1);
      },
    );
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`nps-bridge: ${signal} received again; exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    const seconds = forceExitSeconds();
    const force = setTimeout(() => {
      process.stderr.write(`nps-bridge: shutdown took longer than ${seconds}s; exiting\n`);
      process.exit(1);
    }, seconds * 1000);
    force.unref();
    process.stdout.write(`nps-bridge: ${signal} received, finishing work and stopping\n`);
    if (launched) void stopAndExit(launched);
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));
  try {
    launched = await start(parts);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : (error as Error).stack ?? String(error);
    process.stderr.write(`nps-bridge: ${message}\n`);
    process.exit(1);
  }
  if (stopping) return void stopAndExit(launched);
  for (const warning of launched.warnings) process.stderr.write(`nps-bridge: WARNING ${warning}\n`);
  await announce(launched, parts);
}
