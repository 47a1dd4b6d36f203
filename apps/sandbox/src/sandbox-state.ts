import type { MailCatcher } from './mail-catcher';
import type { Sandboxes } from './sandboxes';

/** A vendor imitation served by this process: where it is and what it imitates. */
export interface MountedSandbox {
  name: string;
  basePath: string;
  imitates: string;
}

/** What the sandbox pages read: the mounted sandboxes (built once the app listens) and the mail catcher. */
export interface SandboxState {
  mounted: MountedSandbox[];
  mail: MailCatcher | undefined;
  sandboxes?: Sandboxes;
  /** Shows the demo's survey-now form: only in the all-in-one, where the api and the worker run too. */
  demoControls?: boolean;
}

export const SANDBOX_STATE = Symbol('SANDBOX_STATE');
