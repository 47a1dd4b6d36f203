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
  expireInSeconds: number;
}

/** Defaults for work that calls a vendor: about 12 h of backoff before a job is marked failed. */
export const VENDOR_WORK: QueuePolicy = {
  policy: 'standard',
  retryLimit: 12,
  retryDelaySeconds: 15,
  retryBackoff: true,
  expireInSeconds: 15 * 60,
};

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
  [QUEUE.crmSync]: { policy: 'short', retryLimit: 5, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 4 * 60 * 60 },
  [QUEUE.planRelational]: { policy: 'short', retryLimit: 5, retryDelaySeconds: 300, retryBackoff: true, expireInSeconds: 2 * 60 * 60 },
  [QUEUE.reconcileTickets]: { policy: 'short', retryLimit: 5, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * 60 },
  [QUEUE.refreshHealth]: { policy: 'short', retryLimit: 5, retryDelaySeconds: 300, retryBackoff: true, expireInSeconds: 2 * 60 * 60 },
};
