import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ConsoleUser } from '@libs/app/src/console-users/console-users.service';

/** What every console page needs to know about the request it answers. */
export interface PageContext {
  /** The signed-in user; undefined on the sign-in pages and on errors before sign-in. */
  user: ConsoleUser | undefined;
  /** The session's CSRF token, put in every form; undefined where there is no session. */
  csrfToken: string | undefined;
  /** The request's path, to mark where the person is in the navigation. */
  path: string;
  /** What the last form did (shown once, after its redirect). */
  notice: string | undefined;
}

export const PageContextValue = createContext<PageContext>({ user: undefined, csrfToken: undefined, path: '/console', notice: undefined });

/** The page context, for components deep in a page (forms read the CSRF token here). */
export function usePageContext(): PageContext {
  return useContext(PageContextValue);
}
