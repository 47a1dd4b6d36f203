import { launch } from '@libs/app/src/runtime/launch';
import { apiRoot } from './api-root';

/** An api process: admin API, webhooks, survey pages. Only enqueues jobs. */
void launch({ api: apiRoot });
