import { launch } from '../../api/src/launch';

/** A worker process: consumes jobs and runs schedules; no HTTP. Run as many as you need. */
void launch({ api: false, worker: true, sandbox: false });
