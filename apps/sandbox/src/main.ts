import { launch } from '@libs/app/src/runtime/launch';
import { sandboxRoot } from './sandbox-root';

/** The fake vendors and the mail catcher alone, for trying a connector against them. */
void launch({ sandbox: sandboxRoot });
