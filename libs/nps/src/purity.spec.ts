/**
 * Enforces that libs/nps stays pure: every non-spec .ts file under libs/nps/src imports only
 * relative paths inside libs/nps (or `node:` built-ins) — nothing from Nest, TypeORM, pg,
 * connectors or any SDK — and reads neither the clock nor randomness.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const SRC = __dirname;
const LIB_ROOT = path.resolve(SRC, '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

function importAllowed(fileName: string, specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return false;
  const target = path.resolve(path.dirname(fileName), specifier);
  return target === LIB_ROOT || target.startsWith(LIB_ROOT + path.sep);
}

/** Violations in one file, as "file: message" strings. */
export function findViolations(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const name = path.relative(LIB_ROOT, fileName);
  const found: string[] = [];
  const checkSpecifier = (node: ts.Node, specifier: ts.Expression | undefined, how: string) => {
    if (!specifier) return;
    if (!ts.isStringLiteralLike(specifier)) {
      found.push(`${name}: non-literal ${how} (${specifier.getText(file)})`);
    } else if (!importAllowed(fileName, specifier.text)) {
      found.push(`${name}: ${how} of "${specifier.text}" is not relative to libs/nps`);
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) checkSpecifier(node, node.moduleSpecifier, 'import');
    else if (ts.isExportDeclaration(node)) checkSpecifier(node, node.moduleSpecifier, 'export');
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      checkSpecifier(node, node.moduleReference.expression, 'import');
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword) checkSpecifier(node, node.arguments[0], 'dynamic import');
      else if (ts.isIdentifier(callee) && callee.text === 'require') checkSpecifier(node, node.arguments[0], 'require');
      else if (ts.isPropertyAccessExpression(callee)) {
        const call = callee.getText(file);
        if (['Date.now', 'Math.random', 'performance.now', 'crypto.randomUUID'].includes(call)) {
          found.push(`${name}: ${call}() reads the clock or randomness; pass it in`);
        }
      }
    } else if (ts.isNewExpression(node) && node.expression.getText(file) === 'Date' && (node.arguments?.length ?? 0) === 0) {
      found.push(`${name}: new Date() reads the clock; pass \`now\` in`);
    } else if (ts.isIdentifier(node) && node.text === 'process' && !ts.isPropertyAccessExpression(node.parent)) {
      found.push(`${name}: uses process (environment or I/O)`);
    } else if (ts.isPropertyAccessExpression(node) && node.expression.getText(file) === 'process') {
      found.push(`${name}: uses ${node.getText(file)} (environment or I/O)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('libs/nps purity', () => {
  const files = sourceFiles(SRC);

  it('finds the library files', () => {
    const names = files.map((f) => path.basename(f));
    for (const expected of ['index.ts', 'score.ts', 'segments.ts', 'follow-up-policy.ts', 'health.ts', 'themes.ts', 'alerts.ts']) {
      expect(names).toContain(expected);
    }
  });

  it('imports nothing but relative paths inside libs/nps and node: built-ins, and reads no clock', () => {
    const violations = files.flatMap((f) => findViolations(f, fs.readFileSync(f, 'utf8')));
    expect(violations).toEqual([]);
  });

  describe('the checker itself', () => {
    const fake = path.join(SRC, 'fake.ts');
    it.each([
      ["import { Injectable } from '@nestjs/common';", 'src/fake.ts: import of "@nestjs/common" is not relative to libs/nps'],
      ["import type { Repository } from 'typeorm';", 'src/fake.ts: import of "typeorm" is not relative to libs/nps'],
      ["export * from 'pg';", 'src/fake.ts: export of "pg" is not relative to libs/nps'],
      ["const x = require('axios');", 'src/fake.ts: require of "axios" is not relative to libs/nps'],
      ["const m = await import('jsforce');", 'src/fake.ts: dynamic import of "jsforce" is not relative to libs/nps'],
      ["import x = require('fs');", 'src/fake.ts: import of "fs" is not relative to libs/nps'],
      ["import { db } from '../../db/src/db';", 'src/fake.ts: import of "../../db/src/db" is not relative to libs/nps'],
      ['const n = require(name);', 'src/fake.ts: non-literal require (name)'],
      ['const t = Date.now();', 'src/fake.ts: Date.now() reads the clock or randomness; pass it in'],
      ['const r = Math.random();', 'src/fake.ts: Math.random() reads the clock or randomness; pass it in'],
      ['const d = new Date();', 'src/fake.ts: new Date() reads the clock; pass `now` in'],
      ['const e = process.env.X;', 'src/fake.ts: uses process.env (environment or I/O)'],
    ])('flags %p', (source, message) => {
      expect(findViolations(fake, source)).toEqual([message]);
    });

    it('allows relative and node: imports and explicit dates', () => {
      const ok = [
        "import { a } from './score';",
        "export * from './types';",
        "import { createHash } from 'node:crypto';",
        'const d = new Date(Date.UTC(2025, 0, 1));',
        "// import x from '@nestjs/common' in a comment is fine",
      ].join('\n');
      expect(findViolations(fake, ok)).toEqual([]);
    });
  });
});
