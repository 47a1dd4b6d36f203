import { Logger } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { QueuePolicy } from './queues';
import { PgBossJobsRepository } from '@libs/db/src/repositories/pgboss-jobs.repository';

export interface EnqueueOptions {
  /** Not before this time. */
  startAfter?: Date;
  /** With a short/singleton/stately queue: the key the policy counts jobs by. */
  singletonKey?: string;
  /** At most one job per key in each slot of this many seconds (e.g. one daily plan per day). */
  singletonSeconds?: number;
  /**
   * Enqueue inside the caller's transaction: the job exists exactly when the transaction
   * commits. Pass a function running SQL on the transaction (e.g. TypeORM's `manager.query`).
   */
  transaction?: (sql: string, values: unknown[]) => Promise<unknown[]>;
}

interface Job<T> {
  id: string;
  name: string;
  data: T;
}

export type JobHandler<T> = (job: Job<T>) => Promise<void>;

/**
 * The queue, over pg-boss in the service's own Postgres. The api only enqueues; workers
 * consume with `work`. Many workers may run: pg-boss fetches with SKIP LOCKED.
 */
export class JobQueue {
  private readonly logger = new Logger('Jobs');
  private readonly policies = new Map<string, QueuePolicy>();

  constructor(private readonly boss: PgBoss) {}

  /**
   * Creates the queue if missing with its retry policy, and brings an existing queue to that
   * policy (createQueue leaves an existing one as it was, e.g. with an older, longer expiry).
   */
  async declare(name: string, policy: QueuePolicy): Promise<void> {
    this.policies.set(name, policy);
    const options = {
      name,
      policy: policy.policy,
      retryLimit: policy.retryLimit,
      retryDelay: policy.retryDelaySeconds,
      retryBackoff: policy.retryBackoff,
      expireInSeconds: policy.expireInSeconds,
    };
    await this.boss.createQueue(name, options);
    await this.boss.updateQueue(name, options);
  }

  async enqueue<T extends object>(name: string, data: T, options: EnqueueOptions = {}): Promise<string | null> {
    if (!this.policies.has(name)) throw new Error(`queue "${name}" is not declared`);
    const sendOptions: PgBoss.SendOptions = {};
    if (options.startAfter) sendOptions.startAfter = options.startAfter;
    if (options.singletonKey) sendOptions.singletonKey = options.singletonKey;
    if (options.singletonSeconds) sendOptions.singletonSeconds = options.singletonSeconds;
    if (options.transaction) {
      const run = options.transaction;
      sendOptions.db = { executeSql: async (text, values) => ({ rows: (await run(text, values)) as unknown[] }) };
    }
    return this.boss.send(name, data, sendOptions);
  }

  /**
   * Runs `handler` for each job; a throw fails the attempt and pg-boss retries it per the
   * queue's policy. `concurrency` independent pollers share the work. While a handler runs, its
   * job is renewed every third of the queue's expiry, so a job only expires when its worker died.
   */
  async work<T>(name: string, handler: JobHandler<T>, options: { concurrency?: number; pollingIntervalSeconds?: number } = {}): Promise<void> {
    const policy = this.policies.get(name);
    if (!policy) throw new Error(`queue "${name}" is not declared`);
    const pollers = Math.max(1, options.concurrency ?? 1);
    for (let i = 0; i < pollers; i++) {
      await this.boss.work<T>(name, { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async (jobs) => {
        for (const job of jobs) await this.holding(name, job.id, policy.expireInSeconds, () => handler({ id: job.id, name: job.name, data: job.data }));
      });
    }
  }

  /** Moves a held job's expiry to `seconds` from now; false when the job is no longer active. */
  async renew(name: string, id: string, seconds: number): Promise<boolean> {
    return new PgBossJobsRepository(this.boss.getDb()).renewActive(name, id, seconds);
  }

  private async holding(name: string, id: string, seconds: number, run: () => Promise<void>): Promise<void> {
    const renew = () =>
      this.renew(name, id, seconds).catch((error: Error) =>
        this.logger.warn({ queue: name, jobId: id, error: error.message }, 'could not renew a running job; it may be retried elsewhere'),
      );
    await renew(); // a job queued under an older, longer expiry gets the current one at once
    const timer = setInterval(() => void renew(), Math.max(1000, (seconds * 1000) / 3));
    try {
      await run();
    } finally {
      clearInterval(timer);
    }
  }

  /** True when the queue's tables answer on the queue's own pool. */
  async isHealthy(): Promise<boolean> {
    return Boolean(await this.boss.isInstalled());
  }
}
