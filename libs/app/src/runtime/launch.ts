import { DynamicModule, INestApplication, INestApplicationContext, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, ConfigError, effectivePublicUrl, loadConfig, loggerParams, RuntimeModule, setListeningUrl } from '@libs/config/src';
import { OpenDatabase, openDatabase, runMigrations } from '@libs/db/src';
import { join } from 'node:path';
import { MailTransport } from '../delivery/mail-transport';
import { AdminKeyService } from '../admin-keys/admin-key.service';
import { ConsoleSetupService, SETUP_LINK_HOURS } from '../console-users/console-setup.service';
import { ConsoleUserService } from '../console-users/console-users.service';
import { ApplicationModule } from '../application.module';
import { frameBanner, writeAfterLogs } from './startup-banner';

/** The HTTP app: its feature modules and the conventions its entry point applies (apps/api). */
export interface ApiRoot {
  module: Type | DynamicModule;
  configure(app: INestApplication): void;
}

/** The job consumers and schedules (apps/worker). */
export interface WorkerRoot {
  module: Type | DynamicModule;
}

/** A mail catcher: an SMTP server that keeps what it receives (apps/sandbox). */
export interface MailCatcherLike {
  start(): Promise<{ url: string }>;
  stop(): Promise<void>;
}

/** The vendor imitations, served under /sandbox once the app listens (apps/sandbox). */
export interface SandboxesLike<Served = unknown> {
  route(app: INestApplication): void;
  build(publicUrl: string, stateDir?: string): Served[];
  flush(): Promise<void>;
}

/** The fake vendors and the mail catcher (apps/sandbox); never mounted in production. */
export interface SandboxRoot<S extends SandboxesLike = SandboxesLike, M extends MailCatcherLike = MailCatcherLike> {
  sandboxes(): S;
  mailCatcher(): M;
  /** The sandbox pages; `demo` adds the demo's controls beside them (all-in-one only). */
  module(sandboxes: S, mail: M | undefined, demo: boolean): Type | DynamicModule;
  /** HTTP conventions when no api runs in the process. */
  configure(app: INestApplication): void;
}

/** The all-in-one demo: connects the sandboxes on a first start, follows them on later ones. */
export interface DemoRoot<S extends SandboxesLike = SandboxesLike> {
  module: Type | DynamicModule;
  connect(app: INestApplicationContext, served: ReturnType<S['build']>, env: NodeJS.ProcessEnv): Promise<string[]>;
}

/** What one process runs: any of the apps' roots. */
export interface Roots<S extends SandboxesLike = SandboxesLike, M extends MailCatcherLike = MailCatcherLike> {
  api?: ApiRoot;
  worker?: WorkerRoot;
  sandbox?: SandboxRoot<S, M>;
  demo?: DemoRoot<S>;
}

export interface Launched<S extends SandboxesLike = SandboxesLike, M extends MailCatcherLike = MailCatcherLike> {
  app: INestApplicationContext;
  url?: string;
  sandboxes?: S;
  mail?: M;
  /** What the demo connected on a first start, or set up again on a later one. */
  demo: string[];
  /**
   * Whether this start may make and print an admin key when none exists: only the all-in-one on
   * its embedded database (the try-it-out start). Elsewhere keys come from `npm run admin:key`.
   */
  firstStartKey: boolean;
  /** Whether this start prints a one-time link that makes the first console admin while there is none: the all-in-one. */
  consoleSetupLink: boolean;
  /** Lines to print loudly at start (fake vendors mounted beside a real database). */
  warnings: string[];
  /** Closes the app, then the embedded database if this process started it. */
  stop(): Promise<void>;
}

interface SandboxParts<S, M> {
  sandboxes: S;
  mail: M | undefined;
}

function rootModule<S extends SandboxesLike, M extends MailCatcherLike>(
  roots: Roots<S, M>,
  config: AppConfig,
  databaseUrl: string | undefined,
  sandbox?: SandboxParts<S, M>,
): DynamicModule {
  const imports: Array<Type | DynamicModule> = [];
  if (databaseUrl) {
    imports.push(RuntimeModule.forRoot({ config, databaseUrl, role: roots.worker ? 'consumer' : 'producer' }), ApplicationModule);
  } else {
    imports.push(LoggerModule.forRoot(loggerParams(config.logLevel)));
  }
  if (roots.api) imports.push(roots.api.module);
  if (roots.worker) imports.push(roots.worker.module);
  const demo = Boolean(roots.demo && roots.api && roots.worker);
  if (sandbox && roots.sandbox) {
    // The demo's controls call the product's services, so they exist only next to the api and worker.
    imports.push(roots.sandbox.module(sandbox.sandboxes, sandbox.mail, demo));
    if (demo) imports.push(roots.demo!.module);
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
export async function start<S extends SandboxesLike, M extends MailCatcherLike>(roots: Roots<S, M>, env: NodeJS.ProcessEnv = process.env): Promise<Launched<S, M>> {
  const config = loadConfig(env);
  const needsDatabase = Boolean(roots.api || roots.worker);
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
  const sandboxOnly = !needsDatabase;
  const mountSandboxes = roots.sandbox !== undefined && (sandboxOnly || config.sandboxesEnabled);
  const warnings: string[] = [];
  if (mountSandboxes && !sandboxOnly && config.databaseUrl) {
    warnings.push('SANDBOXES=on: fake vendors are mounted at /sandbox — never in production');
  }
  let sandbox: SandboxParts<S, M> | undefined;
  if (mountSandboxes && roots.sandbox) {
    // Without SMTP_URL the all-in-one default catches its own survey emails (shown at /sandbox/mail).
    const mail = config.smtpUrl ? undefined : roots.sandbox.mailCatcher();
    if (mail) {
      try {
        MailTransport.fallbackUrl = (await mail.start()).url;
      } catch (error) {
        await db?.close();
        throw error;
      }
    }
    sandbox = { sandboxes: roots.sandbox.sandboxes(), mail };
  }
  if (roots.worker && !config.smtpUrl && !sandbox?.mail) {
    warnings.push('SMTP_URL is not set: survey emails cannot be sent and stay scheduled until it is');
  }
  const module = rootModule(roots, config, db?.url, sandbox);
  const http = roots.api !== undefined || roots.sandbox !== undefined;
  let app: INestApplicationContext;
  let url: string | undefined;
  try {
    if (http) {
      const web = await NestFactory.create(module, { bufferLogs: true, rawBody: true });
      // The vendor imitations first: like the vendors, they read and judge their raw bodies
      // themselves, so no parser or check of the app's runs before them.
      sandbox?.sandboxes.route(web);
      (roots.api ?? roots.sandbox)!.configure(web);
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
    const demoOn = Boolean(roots.demo && roots.api && roots.worker) && env.DEMO !== 'off';
    // The demo's sandboxes keep their state next to its database, so a restart continues the loop.
    const served = sandbox.sandboxes.build(url, demoOn ? join(config.dataDir, 'sandbox') : undefined);
    try {
      if (demoOn) demo = await roots.demo!.connect(app, served as ReturnType<S['build']>, env);
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
    firstStartKey: Boolean(roots.api && roots.worker && roots.sandbox) && db?.embedded === true,
    consoleSetupLink: Boolean(roots.api && roots.worker && roots.sandbox),
    warnings,
    stop,
  };
}

/**
 * The console's lines of the start banner: its address and, while no console user exists, how to
 * make the first admin: on the all-in-one a one-time setup link (a new one each start, the older
 * ones withdrawn), elsewhere the command.
 */
export async function consoleBannerLines(launched: Pick<Launched, 'app' | 'url' | 'consoleSetupLink'>): Promise<string[]> {
  const lines = [`console:         ${launched.url}/console`];
  if ((await launched.app.get(ConsoleUserService).count()) > 0) return lines;
  const token = launched.consoleSetupLink ? await launched.app.get(ConsoleSetupService).issueFirstAdminToken() : undefined;
  if (token) {
    lines.push(`first admin:     ${launched.url}/console/setup?token=${token}`, `                 (works once, for ${SETUP_LINK_HOURS} h: it makes the first console admin)`);
  } else {
    lines.push('console users:   none yet; make an admin with `npm run admin:user -- --email <email> --password <password>`');
  }
  return lines;
}

/**
 * Prints where the service is and, on the all-in-one's first start, a fresh admin key: after the
 * startup logs and framed, so a person sees it (other starts point at `npm run admin:key`).
 */
async function announce(launched: Launched, api: boolean): Promise<void> {
  if (!launched.url) return;
  const lines: string[] = [];
  if (api) {
    lines.push(`nps-bridge API:  ${launched.url}/api`, `API docs:        ${launched.url}/docs`, `health:          ${launched.url}/health`);
    lines.push(...(await consoleBannerLines(launched)));
  }
  if (launched.sandboxes) lines.push(`sandboxes:       ${launched.url}/sandbox`);
  if (launched.mail) lines.push(`caught mail:     ${launched.url}/sandbox/mail`);
  for (const line of launched.demo) lines.push(`demo:            ${line}`);
  if (api) {
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
export async function launch(roots: Roots): Promise<void> {
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
    launched = await start(roots);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error));
    process.stderr.write(`nps-bridge: ${message}\n`);
    process.exit(1);
  }
  if (stopping) return void stopAndExit(launched);
  for (const warning of launched.warnings) process.stderr.write(`nps-bridge: WARNING ${warning}\n`);
  await announce(launched, roots.api !== undefined);
}
