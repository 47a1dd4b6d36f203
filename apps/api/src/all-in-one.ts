import { launch } from './launch';

/** `npm start`: api + worker + sandbox in one process, on the embedded Postgres by default. */
void launch({ api: true, worker: true, sandbox: true });
