#!/usr/bin/env node
/*
 * `npm run build`, and the build of build-if-needed: tsc -b, then tsc-alias rewrites the path
 * aliases in dist/. Builds take a lock (dist/.build.lock): two at once (tests that start the
 * built service run in parallel) would otherwise let one tsc re-emit files the other had
 * already rewritten, just as its service starts.
 */
const { mkdirSync, rmSync, statSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const lock = join(root, 'dist', '.build.lock');
const STALE_MS = 5 * 60_000; // a build killed mid-way leaves its lock behind

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function takeLock() {
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue; // released between the two calls
      }
      if (age > STALE_MS) rmSync(lock, { recursive: true, force: true });
      else sleep(200);
    }
  }
}

function run(script, args) {
  const result = spawnSync(process.execPath, [require.resolve(script, { paths: [root] }), ...args], { stdio: 'inherit', cwd: root });
  return result.status ?? 1;
}

function build() {
  takeLock();
  try {
    const compiled = run('typescript/bin/tsc', ['-b', join(root, 'tsconfig.build.json')]);
    if (compiled !== 0) return compiled;
    return run('tsc-alias/dist/bin/index.js', ['-p', join(root, 'tsconfig.build.json')]);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

module.exports = { build };
if (require.main === module) process.exit(build());
