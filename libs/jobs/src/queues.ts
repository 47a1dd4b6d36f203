/**
 * Every queue the service uses, with its retry policy, declared here so api (which enqueues)
 * and worker (which consumes) agree. Vendor work retries with exponential backoff (pg-boss
 * doubles retryDelay each attempt), so an outage delays jobs instead of failing them; a job
 * that exhausts its retries stays in the `failed` state, queryable, never silently dropped.
 */
export interface QueuePolicy {
  /**
   * pg-boss policy, per singletonKey: `short` one queued job, `singleton` one active job,
   * `stately` one queued and one active (e.g. one sync per connection across all workers).
   */
  policy: 'standard' | 'short' | 'singleton' | 'stately';
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  /**
   * How long a job may stay active without its worker renewing it. pg-boss 10 fails (and so
   * retries) an active job older than this; JobQueue.work renews the jobs it holds every third
   * of it, so only a job whose worker died (kill -9, lost host) ever expires.
   */
  expireInSeconds: number;
}

/**
 * Why jobs expire after minutes, not hours: pg-boss 10 has no heartbeat of its own, and a job
 * held by a dead worker stays `active` until it expires; with the old 2-4 h expiries a killed
 * worker's sync or plan waited that long. A live worker renews what it holds (JobQueue.work), so
 * a long sync never outlives its expiry; a dead one's job is reclaimed within this plus pg-boss's
 * maintenance interval (JobsModule). A sync's own progress is recovered faster still, by its
 * run's heartbeat (libs/app/src/sync/sync-recovery.ts).
 */
const JOB_EXPIRY_SECONDS = 5 * 60;

export const QUEUE = {
  /**
   * One CRM connection's sync. `short` + singletonKey = connection id keeps one queued job per
   * connection; an advisory lock held for the run keeps one running across all workers, and is
   * released by Postgres the moment a killed worker's connection drops.
   */
  crmSync: 'crm.sync',
  /** The daily relational plan (pre_renewal, quarterly): one per day across workers. */
  planRelational: 'surveys.plan-relational',
  /** Reads a helpdesk's ticket changes to catch solves its webhooks missed. */
  reconcileTickets: 'helpdesk.reconcile',
  /** The nightly health and CRM-field refresh of every account: one per day across workers. */
  refreshHealth: 'loop.refresh-health',
} as const;

/** Every queue with its policy; later features add theirs here, one line each. */
export const QUEUES: Record<string, QueuePolicy> = {
  [QUEUE.crmSync]: { policy: 'short', retryLimit: 5, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: JOB_EXPIRY_SECONDS },
  [QUEUE.planRelational]: { policy: 'short', retryLimit: 5, retryDelaySeconds: 300, retryBackoff: true, expireInSeconds: JOB_EXPIRY_SECONDS },
  [QUEUE.reconcileTickets]: { policy: 'short', retryLimit: 5, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: JOB_EXPIRY_SECONDS },
  [QUEUE.refreshHealth]: { policy: 'short', retryLimit: 5, retryDelaySeconds: 300, retryBackoff: true, expireInSeconds: JOB_EXPIRY_SECONDS },
};
