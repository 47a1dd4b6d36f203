import { execFile } from 'node:child_process';
import * as path from 'node:path';

/**
 * The conventions a tool keeps, inside `npm test`: dependency-cruiser for the package boundaries
 * (.dependency-cruiser.cjs), ESLint with typescript-eslint plus the project's rules
 * (eslint.config.mjs: no SQL outside libs/db, no vendor names in libs/nps or libs/app, no
 * ../../../ out of a package) and a Prettier check (.prettierrc.json, .prettierignore).
 *
 * The tools run in a plain Node process (fixtures/conventions/run-checks.mjs): they load
 * themselves and their configs with import(), which Jest's CommonJS sandbox refuses. The same
 * configs then run over fixtures/conventions/repo, a small tree laid out like the repository
 * that breaks each rule once, so a rule that stopped matching (a moved folder, a typo in a path)
 * fails here instead of passing everything.
 */
const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(__dirname, 'fixtures', 'conventions');
const BROKEN_REPO = path.join(FIXTURES, 'repo');

interface Finding {
  file: string;
  rule: string;
  severity: 'error' | 'warn';
  message: string;
}
type Tool = 'depcruise' | 'eslint' | 'prettier';

function runChecks(root: string, tools: Tool[]): Promise<Record<Tool, Finding[]>> {
  const run = new Promise<Record<Tool, Finding[]>>((resolve, reject) => {
    const args = [path.join(FIXTURES, 'run-checks.mjs'), root, ...tools];
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${tools.join(', ')} did not run: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as Record<Tool, Finding[]>);
    });
  });
  run.catch(() => undefined); // awaited by its test; this only keeps an early failure from counting as unhandled
  return run;
}

/** What a failing test prints: one "file: rule: message" line per violation. */
const violations = (found: Finding[]): string[] => found.filter((f) => f.severity === 'error').map((f) => `${f.file}: ${f.rule}: ${f.message}`);
/** The fixture's findings without line numbers and messages: "file: rule". */
const ruleHits = (found: Finding[]): string[] => found.map((f) => `${f.file.replace(/:\d+$/, '')}: ${f.rule}`).sort();

// Three tools over ~550 files on a shared two-core machine: minutes at worst, not 30 s.
const SLOW = 240_000;

describe('conventions kept by tools', () => {
  // All runs start at once (separate processes) and each test waits for its own.
  let repo: Record<Tool, Promise<Finding[]>>;
  let broken: Promise<Record<Tool, Finding[]>>;
  beforeAll(() => {
    repo = {
      depcruise: runChecks(ROOT, ['depcruise']).then((r) => r.depcruise),
      eslint: runChecks(ROOT, ['eslint']).then((r) => r.eslint),
      prettier: runChecks(ROOT, ['prettier']).then((r) => r.prettier),
    };
    for (const run of Object.values(repo)) run.catch(() => undefined);
    broken = runChecks(BROKEN_REPO, ['depcruise', 'eslint']);
  });

  describe('hold in the repository', () => {
    it(
      'dependency-cruiser: no import crosses a package boundary',
      async () => {
        expect(violations(await repo.depcruise)).toEqual([]);
      },
      SLOW,
    );

    it(
      'ESLint: typescript-eslint recommended, no SQL outside libs/db, no vendor names in libs/nps or libs/app, no ../../../',
      async () => {
        expect(violations(await repo.eslint)).toEqual([]);
      },
      SLOW,
    );

    it(
      'Prettier: every file is formatted as .prettierrc.json says',
      async () => {
        expect(violations(await repo.prettier)).toEqual([]);
      },
      SLOW,
    );
  });

  describe('fail when a rule is broken (fixtures/conventions/repo)', () => {
    const depcruiseHits = async () => ruleHits((await broken).depcruise);
    const eslintHits = async () => ruleHits((await broken).eslint);

    it(
      'an app importing another app',
      async () => {
        expect(await depcruiseHits()).toContain('apps/api/src/reports.controller.js: app-imports-another-app');
      },
      SLOW,
    );

    it(
      'a console page (.tsx) importing another app',
      async () => {
        expect(await depcruiseHits()).toContain('apps/api/src/console/schedule.page.tsx: app-imports-another-app');
      },
      SLOW,
    );

    it(
      'product code importing a sandbox',
      async () => {
        expect(await depcruiseHits()).toContain('libs/app/src/sync/crm-sync.js: product-imports-sandbox');
      },
      SLOW,
    );

    it(
      'a sandbox importing product code',
      async () => {
        expect(await depcruiseHits()).toContain('apps/sandbox/src/crm/crm-sandbox.js: sandbox-imports-product');
      },
      SLOW,
    );

    it(
      'libs/nps importing anything but itself and node: built-ins',
      async () => {
        expect(await depcruiseHits()).toContain('libs/nps/src/impure.js: nps-imports-outside');
      },
      SLOW,
    );

    it(
      'SQL outside libs/db: a .query( call, a string and a template that start a statement, in .js/.ts and .tsx',
      async () => {
        const sql = (await broken).eslint.filter((f) => f.message.startsWith('SQL outside libs/db'));
        expect(sql.map((f) => `${f.file}: ${f.message.slice(f.message.indexOf(': ') + 2)}`)).toEqual([
          // A console page: ESLint reads .tsx too.
          'apps/api/src/console/schedule.page.tsx:4: this string is a SQL statement; move it into a libs/db repository.',
          'libs/app/src/reports/report-query.js:2: .query( belongs in a libs/db repository method with a name.',
          'libs/app/src/reports/report-query.js:2: this string is a SQL statement; move it into a libs/db repository.',
          'libs/app/src/reports/report-query.js:4: this template is a SQL statement; move it into a libs/db repository.',
        ]);
      },
      SLOW,
    );

    it(
      'a vendor name in libs/nps, in a name or a string (a quoted theme keyword is let through)',
      async () => {
        const vendor = (await broken).eslint.filter((f) => f.message.startsWith('Vendor name'));
        expect(vendor.map((f) => f.file)).toEqual(['libs/nps/src/themes.js:5', 'libs/nps/src/themes.js:6']);
      },
      SLOW,
    );

    it(
      'a relative import that climbs out of its package',
      async () => {
        expect(await eslintHits()).toContain('libs/app/src/sync/climbing.js: no-restricted-imports');
      },
      SLOW,
    );

    it(
      'and only then: the all-in-one root, the sandbox process root, libs/db SQL, SOQL and look-alikes pass',
      async () => {
        expect(await depcruiseHits()).toEqual([
          'apps/api/src/console/schedule.page.tsx: app-imports-another-app',
          'apps/api/src/reports.controller.js: app-imports-another-app',
          'apps/sandbox/src/crm/crm-sandbox.js: sandbox-imports-product',
          'libs/app/src/sync/crm-sync.js: product-imports-sandbox',
          'libs/nps/src/impure.js: nps-imports-outside',
        ]);
        expect(await eslintHits()).toEqual([
          'apps/api/src/console/schedule.page.tsx: no-restricted-syntax',
          'libs/app/src/reports/report-query.js: no-restricted-syntax',
          'libs/app/src/reports/report-query.js: no-restricted-syntax',
          'libs/app/src/reports/report-query.js: no-restricted-syntax',
          'libs/app/src/sync/climbing.js: no-restricted-imports',
          'libs/nps/src/themes.js: no-restricted-syntax',
          'libs/nps/src/themes.js: no-restricted-syntax',
        ]);
      },
      SLOW,
    );
  });
});
