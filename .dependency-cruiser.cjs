/**
 * The package boundaries (README "Architecture in a few lines"), checked by
 * test/conventions.spec.ts inside `npm test`. Paths are relative to the repository root (or to a
 * fixture tree laid out like it), so every rule reads as "from this folder, not to that folder".
 * Vendors are "any folder under connectors/ but core", so a vendor added tomorrow is covered.
 */
// Fixtures in test/fixtures/conventions are plain .js (tsc skips them), so paths allow .js too;
// .tsx/.jsx are the console's page components.
const SPEC = '\\.spec\\.[jt]sx?$';
const VENDOR = '^connectors/(?!core/)[^/]+/';
const SANDBOX_ROOTS = '^apps/sandbox/src/(main|sandbox-root)\\.[jt]s$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'app-imports-another-app',
      comment: 'apps/api, apps/worker and apps/sandbox never import another app; only apps/all-in-one (the demo composition root) and test/ put several apps together.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/', pathNot: '^apps/all-in-one/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'lib-imports-app',
      comment:
        'libs and connectors are used by the apps, never the other way round. Their *.int.spec.ts ' +
        'run against the sandboxes, so apps/sandbox is left to product-imports-sandbox.',
      severity: 'error',
      from: { path: '^(libs|connectors)/' },
      to: { path: '^apps/', pathNot: '^apps/sandbox/' },
    },
    {
      name: 'product-imports-sandbox',
      comment: 'Production never mounts a sandbox: product code imports nothing from apps/sandbox. apps/all-in-one mounts them for the demo; specs may use them.',
      severity: 'error',
      from: { path: '^(apps/(api|worker)|libs|connectors)/', pathNot: SPEC },
      to: { path: '^apps/sandbox/' },
    },
    {
      name: 'sandbox-imports-product',
      comment: 'A sandbox states the vendor facts itself, so a wrong number in a descriptor is caught, not mirrored: apps/sandbox imports nothing from libs or connectors.',
      severity: 'error',
      from: { path: '^apps/sandbox/src/', pathNot: [SPEC, SANDBOX_ROOTS] },
      to: { path: '^(libs|connectors)/' },
    },
    {
      name: 'sandbox-root-imports-product',
      comment: "The sandbox process roots (main.ts, sandbox-root.ts) may use libs/app's process runtime, nothing else.",
      severity: 'error',
      from: { path: SANDBOX_ROOTS },
      to: { path: '^(libs|connectors)/', pathNot: '^libs/app/src/runtime/' },
    },
    {
      name: 'nps-imports-outside',
      comment: 'libs/nps is pure program rules: it imports nothing but itself and node: built-ins.',
      severity: 'error',
      from: { path: '^libs/nps/', pathNot: SPEC },
      to: { pathNot: '^libs/nps/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'app-layer-imports-vendor',
      comment: 'libs/app talks to vendors through the ports and registry in connectors/core only.',
      severity: 'error',
      from: { path: '^libs/app/', pathNot: SPEC },
      to: { path: VENDOR },
    },
    {
      name: 'infra-lib-imports-app-layer',
      comment: 'libs/db, libs/jobs and libs/config sit below the application layer.',
      severity: 'error',
      from: { path: '^libs/(db|jobs|config)/' },
      to: { path: '^libs/app/' },
    },
    {
      name: 'vendor-imports-another-vendor',
      comment: 'A connector depends on connectors/core only, never on another vendor.',
      severity: 'error',
      from: { path: '^connectors/([^/]+)/', pathNot: '^connectors/core/' },
      to: { path: '^connectors/', pathNot: '^connectors/($1|core)/' },
    },
    {
      name: 'core-imports-vendor',
      comment: 'The one line per vendor is connectors/core/registry.ts; the rest of core names no vendor.',
      severity: 'error',
      from: { path: '^connectors/core/', pathNot: '^connectors/core/registry\\.[jt]s$' },
      to: { path: VENDOR },
    },
    {
      name: 'no-circular',
      comment: 'Import cycles make load order matter (Nest providers come out undefined).',
      severity: 'warn',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // npm packages and node: built-ins stay in the graph (libs/nps may use neither) but are not followed.
    exclude: { path: ['^dist/', '^test/fixtures/'] },
    doNotFollow: { path: 'node_modules' },
    // `import type` is a dependency too: a type from a vendor folder couples as much as a value.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.jsx', '.json'] },
  },
};
