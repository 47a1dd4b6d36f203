import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

/**
 * Runs `work` every `ms` in the worker's scheduler registry (so shutdown clears it), skipping a
 * tick while the previous run is still going; a failed run is logged and the next tick retries.
 */
export function every(scheduler: SchedulerRegistry, logger: Logger, name: string, ms: number, work: () => Promise<unknown>): void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    work()
      .catch((error: Error) => logger.error({ schedule: name, error: error.message }, 'scheduled work failed; next tick retries'))
      .finally(() => (busy = false));
  }, ms);
  scheduler.addInterval(name, timer);
}
