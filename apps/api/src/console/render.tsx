import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { ConsoleSection } from './console-nav';
import { Layout } from './layout';
import { PageContext, PageContextValue } from './page-context';

export interface PageOptions {
  /** The page's h1 and the start of its <title>. */
  title: string;
  children?: ComponentChildren;
  /** Pages of a section (OPERATIONS_SECTION, …) show its sub-navigation. */
  section?: ConsoleSection;
}

/** A complete console page: the layout around `children`, rendered to an HTML document (Preact escapes every value). */
export function renderPage(ctx: PageContext, options: PageOptions): string {
  return (
    '<!doctype html>\n' +
    renderToString(
      <PageContextValue.Provider value={ctx}>
        <Layout title={options.title} section={options.section}>
          {options.children}
        </Layout>
      </PageContextValue.Provider>,
    )
  );
}
