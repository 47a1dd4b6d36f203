import { launch } from '@libs/app/src/runtime/launch';
import { roots } from './roots';

/** `npm start`: api + worker + sandbox in one process, on the embedded Postgres by default. */
void roots({ api: true, worker: true, sandbox: true }).then(launch);
