import { launch } from './launch';

/** An api process: admin API, webhooks, survey pages. Only enqueues jobs. */
void launch({ api: true, worker: false, sandbox: false });
