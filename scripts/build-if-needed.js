#!/usr/bin/env node
/*
 * Runs before every `npm run` command that starts compiled code (start, admin:key, migrations…).
 * In a checkout it builds dist/ (tsc -b is incremental: a current build costs a second; tsc-alias
 * then rewrites the path aliases in the output, about two seconds; see scripts/build.js). In the
 * production image (NODE_ENV=production) or any install without TypeScript (dev dependencies
 * pruned) there is nothing to build with: the image's dist/ is used as it is.
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
} catch {
  tsc = undefined;
}

if (process.env.NODE_ENV === 'production' || !tsc) {
  if (!existsSync(join(root, 'dist/apps/api/src/main.js'))) {
    process.stderr.write('nps-bridge: no build in dist/ and no TypeScript to make one: run `npm ci && npm run build`\n');
    process.exit(1);
  }
  process.exit(0);
}
// The same locked build as `npm run build` (scripts/build.js).
process.exit(require('./build').build());
