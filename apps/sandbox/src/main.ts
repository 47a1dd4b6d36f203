import { launch } from '../../api/src/launch';

void launch({ api: false, worker: false, sandbox: true });
