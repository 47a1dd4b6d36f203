/**
 * ESLint for apps, libs, connectors, migrations and test, run by test/conventions.spec.ts inside
 * `npm test`. typescript-eslint's recommended rules WITHOUT type information (fast: no program
 * is built), plus the project's own rules (README "Architecture in a few lines"):
 * - SQL lives in libs/db repositories (and migrations);
 * - libs/nps and libs/app name no vendor;
 * - packages reach each other through the aliases (@libs/, @connectors/, @apps/), not ../../../.
 * Import boundaries between folders are dependency-cruiser's job (.dependency-cruiser.cjs).
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { readdirSync } from 'node:fs';
import tseslint from 'typescript-eslint';

/** The vendors are the folders under connectors/ (but core), so a vendor added tomorrow is checked too. */
const VENDORS = readdirSync(new URL('./connectors', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'core')
  .map((entry) => entry.name)
  .join('|');
// A statement's first words; `DELETE tickets/:id` (an HTTP route) is not one.
const SQL_START = '^\\s*(SELECT|INSERT\\s+INTO|UPDATE\\s+\\S+\\s+SET|DELETE\\s+FROM|WITH)\\s';

/** SQL outside libs/db: a query call, or a string or template that starts like a statement. */
const SQL = [
  {
    selector: "CallExpression[callee.property.name='query']",
    message: 'SQL outside libs/db: .query( belongs in a libs/db repository method with a name.',
  },
  {
    selector: "CallExpression[callee.property.name='createQueryBuilder']",
    message: 'SQL outside libs/db: .createQueryBuilder( belongs in a libs/db repository method with a name.',
  },
  {
    selector: `Literal[value=/${SQL_START}/]`,
    message: 'SQL outside libs/db: this string is a SQL statement; move it into a libs/db repository.',
  },
  {
    selector: `TemplateLiteral[quasis.0.value.raw=/${SQL_START}/]`,
    message: 'SQL outside libs/db: this template is a SQL statement; move it into a libs/db repository.',
  },
];

/**
 * Vendor names in the product's own layers. Comments are checked by test/vendor-names.spec.ts;
 * like it, libs/nps lets a quoted theme keyword through (a word customers type: 'salesforce').
 */
const vendorNames = ({ themeKeywords }) => [
  {
    selector: `Identifier[name=/${VENDORS}/i]`,
    message: 'Vendor name in a product layer: vendors live in connectors/<vendor> and apps/sandbox.',
  },
  {
    selector: themeKeywords ? `Literal[value=/${VENDORS}/i]:not(ArrayExpression > Literal[value=/^(${VENDORS})$/])` : `Literal[value=/${VENDORS}/i]`,
    message: 'Vendor name in a product layer: vendors live in connectors/<vendor> and apps/sandbox.',
  },
  {
    selector: `TemplateElement[value.raw=/${VENDORS}/i]`,
    message: 'Vendor name in a product layer: vendors live in connectors/<vendor> and apps/sandbox.',
  },
];

/** Files where SQL is at home, or where `.query(` is SOQL (jsforce) rather than SQL. */
const SQL_ALLOWED = ['libs/db/**', 'migrations/**', 'test/**', '**/*.spec.ts', '**/*.spec.tsx', 'connectors/salesforce/**', 'apps/sandbox/src/salesforce/**'];

export default defineConfig(
  {
    ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'test/fixtures/conventions/**'],
  },
  {
    // .tsx: the console's server-rendered pages (Preact components, apps/api/src/console).
    files: ['**/*.ts', '**/*.tsx', '**/*.js'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter an interface requires but this implementation does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./){3,}',
              message: 'This climbs out of its package: import across packages through @libs/, @connectors/ or @apps/.',
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...SQL],
    },
  },
  {
    // Tests read raw vendor JSON and reach into fakes; `any` there says "whatever came back".
    files: ['**/*.spec.ts', '**/*.spec.tsx', 'test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The survey page's one browser script (apps/api/src/surveys/assets), plain ES5.
    files: ['**/assets/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', URLSearchParams: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
  },
  {
    files: SQL_ALLOWED,
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['libs/app/**'],
    ignores: ['**/*.spec.ts', '**/*.spec.tsx'],
    rules: { 'no-restricted-syntax': ['error', ...SQL, ...vendorNames({ themeKeywords: false })] },
  },
  {
    files: ['libs/nps/**'],
    ignores: ['**/*.spec.ts', '**/*.spec.tsx'],
    rules: { 'no-restricted-syntax': ['error', ...SQL, ...vendorNames({ themeKeywords: true })] },
  },
  {
    files: ['libs/nps/**/*.spec.ts'],
    rules: { 'no-restricted-syntax': ['error', ...vendorNames({ themeKeywords: true })] },
  },
);
