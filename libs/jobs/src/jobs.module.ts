import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { JobQueue } from './job-queue';
import { QUEUES, QueuePolicy } from './queues';

const PG_BOSS = Symbol('PG_BOSS');

export interface JobsModuleOptions {
  databaseUrl: string;
  /** `producer` (api) only enqueues; `consumer` (worker) also runs maintenance and polls. */
  role: 'producer' | 'consumer';
  /** Queues beyond QUEUES (tests). */
  extraQueues?: Record<string, QueuePolicy>;
  /** Seconds to let running jobs finish on shutdown. */
  shutdownGraceSeconds?: number;
}

@Global()
@Module({})
export class JobsModule implements OnApplicationShutdown {
  private static readonly logger = new Logger('Jobs');

  constructor(
    @Inject(PG_BOSS) private readonly boss: PgBoss,
    @Inject('JOBS_OPTIONS') private readonly options: JobsModuleOptions,
  ) {}

  static forRoot(options: JobsModuleOptions): DynamicModule {
    return {
      module: JobsModule,
      providers: [
        { provide: 'JOBS_OPTIONS', useValue: options },
        {
          provide: PG_BOSS,
          useFactory: async () => {
            const consumer = options.role === 'consumer';
            const boss = new PgBoss({
              connectionString: options.databaseUrl,
              application_name: `nps-bridge-${options.role}`,
              max: 5,
              // Maintenance and cron belong to workers; api processes stay light.
              supervise: consumer,
              // Maintenance is what fails (and so retries) an expired job: every minute, so a dead
              // worker's job is taken up within JOB_EXPIRY_SECONDS + 1 min (queues.ts), not hours.
              maintenanceIntervalSeconds: 60,
              schedule: false,
            });
            boss.on('error', (error) => JobsModule.logger.error(`queue error: ${error.message}`));
            await boss.start();
            return boss;
          },
        },
        {
          provide: JobQueue,
          inject: [PG_BOSS],
          useFactory: async (boss: PgBoss) => {
            const queue = new JobQueue(boss);
            for (const [name, policy] of Object.entries({ ...QUEUES, ...options.extraQueues })) {
              await queue.declare(name, policy);
            }
            return queue;
          },
        },
      ],
      exports: [JobQueue, PG_BOSS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    const timeout = (this.options.shutdownGraceSeconds ?? 10) * 1000;
    await this.boss.stop({ graceful: true, wait: true, timeout });
  }
}
