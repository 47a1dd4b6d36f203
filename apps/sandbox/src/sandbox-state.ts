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
  /** The demo's survey-now control: only where the api and the worker run in the same process. */
  surveyNow?: boolean;
}

export const SANDBOX_STATE = Symbol('SANDBOX_STATE');
