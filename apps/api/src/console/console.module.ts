import { Inject, MiddlewareConsumer, Module, NestModule, OnModuleDestroy, RequestMethod } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@libs/config/src';
import { consoleSessionStore, ConsoleSessionStore } from '@libs/db/src/console-session-store';
import { AccountPagesController } from './accounts/accounts.controller';
import { AlertPagesController } from './alerts/alerts.controller';
import { ConsoleAssetsController } from './assets/console-assets.controller';
import { ConsoleGuard } from './console-access';
import { ConsoleCsrfMiddleware } from './console-csrf.middleware';
import { consoleSession } from './console-session';
import { ConnectController } from './connections/connect.controller';
import { ConnectionsPagesController } from './connections/connections.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { ReportDownloadController } from './dashboard/report-download.controller';
import { AccessController } from './operations/access.controller';
import { OperationsController } from './operations/operations.controller';
import { ProgramPagesController } from './program/program.controller';
import { RootController } from './root.controller';
import { SetupController } from './sign-in/setup.controller';
import { SignInController } from './sign-in/sign-in.controller';
import { SignInThrottle } from './sign-in/sign-in-throttle';
import { SingleSignOnController } from './sign-in/single-sign-on.controller';

const SESSION_STORE = Symbol('CONSOLE_SESSION_STORE');
/** Each api process deletes expired sessions this often. */
const PRUNE_SECONDS = 15 * 60;

const CONSOLE_ROUTES = [
  { path: 'console', method: RequestMethod.ALL },
  { path: 'console/*path', method: RequestMethod.ALL },
];

/**
 * The console: server-rendered pages for admins and leaders under /console (and `/`, which leads
 * there). Sessions in Postgres, CSRF tokens on every form, the guard on every page (see
 * console-access.ts for the API other pages use).
 */
@Module({
  controllers: [
    RootController,
    ConsoleAssetsController,
    SignInController,
    SingleSignOnController,
    SetupController,
    DashboardController,
    ReportDownloadController,
    OperationsController,
    AccessController,
    ProgramPagesController,
    AccountPagesController,
    AlertPagesController,
    ConnectController,
    ConnectionsPagesController,
  ],
  providers: [
    ConsoleGuard,
    SignInThrottle,
    {
      provide: SESSION_STORE,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => {
        const logger = new Logger('ConsoleSessions');
        return consoleSessionStore(dataSource, { pruneSeconds: PRUNE_SECONDS, errorLog: (...args: unknown[]) => logger.error(args.map(String).join(' ')) });
      },
    },
  ],
})
export class ConsoleModule implements NestModule, OnModuleDestroy {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SESSION_STORE) private readonly store: ConsoleSessionStore,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    // Sessions, then the CSRF check, on every console path but the stylesheet.
    consumer
      .apply(consoleSession(this.config, this.store), ConsoleCsrfMiddleware)
      .exclude({ path: 'console/assets/*path', method: RequestMethod.ALL })
      .forRoutes(...CONSOLE_ROUTES);
  }

  /** Stops the store's pruning timer before the database closes. */
  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }
}
