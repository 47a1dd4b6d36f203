import type { WorkerRoot } from '@libs/app/src/runtime/launch';
import { WorkerModule } from './worker.module';

/** What a process needs to consume jobs and run the schedules. */
export const workerRoot: WorkerRoot = { module: WorkerModule };
