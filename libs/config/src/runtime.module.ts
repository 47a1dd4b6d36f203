import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { DatabaseModule } from '@libs/db/src/database.module';
import { JobsModule } from '@libs/jobs/src/jobs.module';
import { QueuePolicy } from '@libs/jobs/src/queues';
import { AppConfig } from './config';
import { ConfigModule } from './config.module';
import { loggerParams } from './logging';

export interface RuntimeOptions {
  config: AppConfig;
  databaseUrl: string;
  role: 'producer' | 'consumer';
  extraQueues?: Record<string, QueuePolicy>;
}

/** What every process needs: configuration, JSON logs, the database and the queue. */
@Module({})
export class RuntimeModule {
  static forRoot(options: RuntimeOptions): DynamicModule {
    return {
      module: RuntimeModule,
      imports: [
        ConfigModule.forRoot(options.config),
        LoggerModule.forRoot(loggerParams(options.config.logLevel)),
        DatabaseModule.forRoot(options.databaseUrl),
        JobsModule.forRoot({
          databaseUrl: options.databaseUrl,
          role: options.role,
          extraQueues: options.extraQueues,
          shutdownGraceSeconds: options.config.shutdownGraceSeconds,
        }),
      ],
    };
  }
}
