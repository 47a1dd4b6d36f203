#!/usr/bin/env node
/*
 * Runs before every `npm run` command that starts compiled code (start, admin:key, migrations…).
 * In a checkout it builds dist/ (tsc -b is incremental: a current build costs a second; tsc-alias
 * then rewrites the path aliases in the output, about two seconds). In the
 * production image (NODE_ENV=production) or any install without TypeScript (dev dependencies
 * pruned) there is nothing to build with: the image's dist/ is used as it is.
 */
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
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
const built = spawnSync(process.execPath, [tsc, '-b', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
// The compiled code keeps the path aliases (@libs/..., @connectors/..., @apps/...); tsc-alias
// rewrites them to relative requires, as `npm run build` does.
const alias = require.resolve('tsc-alias/dist/bin/index.js', { paths: [root] });
const rewritten = spawnSync(process.execPath, [alias, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
process.exit(rewritten.status ?? 1);
