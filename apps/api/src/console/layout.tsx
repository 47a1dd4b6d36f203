import type { ComponentChildren } from 'preact';
import { CONSOLE_STYLESHEET_URL } from './assets/console-css';
import { CONSOLE_NAV, ConsoleSection, isWithin, mayOpen } from './console-nav';
import { PostForm } from './components';
import { usePageContext } from './page-context';

const ROLE_NAMES = { admin: 'Admin', viewer: 'Viewer' } as const;

function MainNav() {
  const { user, path } = usePageContext();
  if (!user) return null;
  const items = CONSOLE_NAV.filter((item) => mayOpen(user.role, item));
  return (
    <nav class="main-nav" aria-label="Console">
      <ul>
        {items.map((item) => (
          <li key={item.href}>
            <a href={item.href} aria-current={path === item.href ? 'page' : isWithin(path, item.href) ? 'true' : undefined}>
              {item.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function SectionNav({ section }: { section: ConsoleSection }) {
  const { user, path } = usePageContext();
  if (!user) return null;
  const items = section.items.filter((item) => mayOpen(user.role, item));
  return (
    <nav class="section-nav" aria-label={section.label}>
      <ul>
        {items.map((item) => (
          <li key={item.href}>
            <a href={item.href} aria-current={path === item.href ? 'page' : isWithin(path, item.href) ? 'true' : undefined}>
              {item.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Account() {
  const { user } = usePageContext();
  if (!user) return null;
  return (
    <div class="account">
      <p class="who">
        <span class="email">{user.email}</span> <span class="role">{ROLE_NAMES[user.role]}</span>
      </p>
      <PostForm action="/console/logout" class="inline">
        <button type="submit" class="button secondary">
          Sign out
        </button>
      </PostForm>
    </div>
  );
}

/**
 * The one layout of every console page: a skip link, the header (product name, navigation by
 * role, the signed-in person and a sign-out form), the notice of the last action, and the main
 * landmark with the page's h1. One stylesheet, no script: every page reads without JavaScript.
 */
export function Layout({ title, section, children }: { title: string; section?: ConsoleSection; children?: ComponentChildren }) {
  const { notice } = usePageContext();
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex" />
        <title>{`${title} – nps-bridge console`}</title>
        <link rel="stylesheet" href={CONSOLE_STYLESHEET_URL} />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to main content
        </a>
        <header class="site-header">
          <div class="header-inner">
            <a class="brand" href="/console">
              nps-bridge
            </a>
            <MainNav />
            <Account />
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {section ? <SectionNav section={section} /> : null}
          <h1>{title}</h1>
          {notice ? (
            <p class="notice" role="status">
              {notice}
            </p>
          ) : null}
          {children}
        </main>
      </body>
    </html>
  );
}
