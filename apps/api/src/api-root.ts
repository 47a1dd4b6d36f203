import type { ApiRoot } from '@libs/app/src/runtime/launch';
import { ApiModule } from './api.module';
import { configureHttpApp } from './http-app';

/** What a process needs to serve the HTTP app: its modules and its conventions. */
export const apiRoot: ApiRoot = { module: ApiModule, configure: configureHttpApp };
