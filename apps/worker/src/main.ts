import { launch } from '@libs/app/src/runtime/launch';
import { workerRoot } from './worker-root';

/** A worker process: consumes jobs and runs schedules; no HTTP. Run as many as you need. */
void launch({ worker: workerRoot });
