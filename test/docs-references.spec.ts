import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The rules and vendor facts the code cites live in the repository, in libs/nps/README.md (the
 * program rules, cited as `rules §4` or `libs/nps/README.md §4`, optionally with a heading:
 * `rules §4 "Going live"`) and connectors/<vendor>/README.md (cited as
 * `connectors/hubspot/README.md "Search"`, or `README "Search"` from inside that vendor's
 * folder; `connectors/<vendor>/README.md "X"` means every vendor's README has X); elsewhere
 * `README "X"` is a heading of the README at the root. No reference
 * may point outside the repository, every cited section must exist, and a § that names no
 * document (it used to mean a document elsewhere) is refused.
 */
const ROOT = path.resolve(__dirname, '..');
const SCANNED = ['apps', 'libs', 'connectors', 'test'];
/** Written in pieces so this file does not match itself. */
const OUTSIDE = [['nps', 'program.md'].join('-'), ['vendor', 'apis.md'].join('-'), ['shared', 'docs'].join('/')];

export interface Docs {
  /** libs/nps/README.md: section number → the headings inside that section (lower-cased). */
  rules: Map<string, Set<string>>;
  /** connectors/<vendor>/README.md headings (lower-cased), by vendor folder name. */
  vendors: Map<string, Set<string>>;
  /** The root README.md headings (lower-cased). */
  root: Set<string>;
}

function headingsOf(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) => line.replace(/^#+\s*/, '').trim());
}

/** Section number → its own heading and the headings under it, from `## N. Title` lines. */
export function ruleSections(markdown: string): Map<string, Set<string>> {
  const sections = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  for (const line of markdown.split('\n')) {
    const numbered = /^## (\d+)\. (.+)$/.exec(line);
    if (numbered) {
      current = new Set([numbered[2].trim().toLowerCase()]);
      sections.set(numbered[1], current);
    } else if (/^## /.test(line)) {
      current = undefined;
    } else if (current && /^#{3,6} /.test(line)) {
      current.add(
        line
          .replace(/^#+\s*/, '')
          .trim()
          .toLowerCase(),
      );
    }
  }
  return sections;
}

export function loadDocs(root = ROOT): Docs {
  const vendors = new Map<string, Set<string>>();
  for (const entry of fs.readdirSync(path.join(root, 'connectors'), { withFileTypes: true })) {
    const readme = path.join(root, 'connectors', entry.name, 'README.md');
    if (entry.isDirectory() && entry.name !== 'core' && fs.existsSync(readme)) {
      vendors.set(entry.name, new Set(headingsOf(fs.readFileSync(readme, 'utf8')).map((h) => h.toLowerCase())));
    }
  }
  const rootHeadings = new Set(headingsOf(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).map((h) => h.toLowerCase()));
  return { rules: ruleSections(fs.readFileSync(path.join(root, 'libs/nps/README.md'), 'utf8')), vendors, root: rootHeadings };
}

const RULES = /(?:\brules|libs\/nps\/README\.md) (§\d+(?:\s*(?:–|-|\/|,|and|&)\s*§\d+)*)(?: "([^"]+)")?/g;
const RFC = /RFC \d+ §[\d.]+/g;
const VENDOR = /connectors\/([a-z<>]+)\/README\.md "([^"]+)"/g;
const OWN_README = /(?<![\w/.])README "([^"]+)"/g;

export interface Citations {
  rules: number;
  vendor: number;
  problems: string[];
}

/** Every reference problem in one file's text; `file` is relative to the repository root. */
export function checkFile(file: string, text: string, docs: Docs): Citations {
  const result: Citations = { rules: 0, vendor: 0, problems: [] };
  const lines = text.split('\n');
  const vendorFolder = /^connectors\/([^/]+)\//.exec(file)?.[1];
  lines.forEach((line, i) => {
    const at = `${file}:${i + 1}`;
    for (const name of OUTSIDE) if (line.includes(name)) result.problems.push(`${at}: points outside the repository (${name})`);

    const covered: Array<[number, number]> = [];
    for (const m of line.matchAll(RFC)) covered.push([m.index!, m.index! + m[0].length]);
    for (const m of line.matchAll(RULES)) {
      covered.push([m.index!, m.index! + m[0].length]);
      result.rules++;
      const numbers = [...m[1].matchAll(/§(\d+)/g)].map((n) => n[1]);
      for (const n of numbers) {
        if (!docs.rules.has(n)) result.problems.push(`${at}: rules §${n} is not a section of libs/nps/README.md`);
      }
      const heading = m[2]?.toLowerCase();
      if (heading && !docs.rules.get(numbers[numbers.length - 1])?.has(heading)) {
        result.problems.push(`${at}: rules §${numbers[numbers.length - 1]} has no heading "${m[2]}" in libs/nps/README.md`);
      }
    }
    for (const m of line.matchAll(/§/g)) {
      if (!covered.some(([from, to]) => m.index! >= from && m.index! < to)) {
        result.problems.push(`${at}: a § that names no document (write "rules §N" for libs/nps/README.md)`);
      }
    }

    for (const m of line.matchAll(VENDOR)) {
      result.vendor++;
      const targets = m[1] === '<vendor>' || m[1] === '<crm>' ? [...docs.vendors.keys()] : [m[1]];
      for (const vendor of targets) {
        const headings = docs.vendors.get(vendor);
        if (!headings) result.problems.push(`${at}: connectors/${vendor}/README.md does not exist`);
        else if (!headings.has(m[2].toLowerCase())) result.problems.push(`${at}: connectors/${vendor}/README.md has no heading "${m[2]}"`);
      }
    }
    for (const m of line.matchAll(OWN_README)) {
      if (m[1] === '…') continue; // the descriptors' description of the convention itself
      result.vendor++;
      const [readme, headings] = vendorFolder ? [`connectors/${vendorFolder}/README.md`, docs.vendors.get(vendorFolder)] : ['README.md', docs.root];
      if (!headings) result.problems.push(`${at}: ${readme} does not exist`);
      else if (!headings.has(m[1].toLowerCase())) result.problems.push(`${at}: ${readme} has no heading "${m[1]}"`);
    }
  });
  return result;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|js)$/.test(entry.name) ? [full] : [];
  });
}

const SAMPLE_RULES = '# Rules\n## 4. Who gets a survey\n### Going live\n## 5. The survey\n## Not numbered\n### Elsewhere\n';
const SAMPLE_DOCS: Docs = { rules: ruleSections(SAMPLE_RULES), vendors: new Map([['acme', new Set(['rate limits'])]]), root: new Set(['quick start']) };

describe('references in code point to documents in the repository', () => {
  it('accepts citations of sections and headings that exist', () => {
    const text = ['// rules §4 "Going live" and rules §4–§5, libs/nps/README.md §5', '// README "Rate limits"; connectors/acme/README.md "Rate limits"; RFC 5322 §2.2.3'].join(
      '\n',
    );
    expect(checkFile('connectors/acme/src/x.ts', text, SAMPLE_DOCS)).toEqual({ rules: 3, vendor: 2, problems: [] });
  });

  it('refuses documents outside the repository, missing sections and headings, and a bare §', () => {
    const text = [`// ${OUTSIDE[0]} §4`, '// rules §7, rules §4 "Elsewhere"', '// README "Search", connectors/acme/README.md "Paging", connectors/other/README.md "Search"'].join(
      '\n',
    );
    expect(checkFile('connectors/acme/src/x.ts', text, SAMPLE_DOCS).problems).toEqual([
      `connectors/acme/src/x.ts:1: points outside the repository (${OUTSIDE[0]})`,
      'connectors/acme/src/x.ts:1: a § that names no document (write "rules §N" for libs/nps/README.md)',
      'connectors/acme/src/x.ts:2: rules §7 is not a section of libs/nps/README.md',
      'connectors/acme/src/x.ts:2: rules §4 has no heading "Elsewhere" in libs/nps/README.md',
      'connectors/acme/src/x.ts:3: connectors/acme/README.md has no heading "Paging"',
      'connectors/acme/src/x.ts:3: connectors/other/README.md does not exist',
      'connectors/acme/src/x.ts:3: connectors/acme/README.md has no heading "Search"',
    ]);
    expect(checkFile('apps/api/src/x.ts', '// README "Quick start", README "Rate limits"', SAMPLE_DOCS).problems).toEqual([
      'apps/api/src/x.ts:1: README.md has no heading "Rate limits"',
    ]);
  });

  it('holds for every file in apps/, libs/, connectors/ and test/', () => {
    const docs = loadDocs();
    expect([...docs.vendors.keys()].sort()).toEqual(expect.arrayContaining(['hubspot', 'salesforce', 'zendesk']));
    const totals: Citations = { rules: 0, vendor: 0, problems: [] };
    for (const top of SCANNED) {
      for (const file of sourceFiles(path.join(ROOT, top))) {
        if (file === __filename) continue; // its examples are wrong on purpose
        const found = checkFile(path.relative(ROOT, file), fs.readFileSync(file, 'utf8'), docs);
        totals.rules += found.rules;
        totals.vendor += found.vendor;
        totals.problems.push(...found.problems);
      }
    }
    expect(totals.problems).toEqual([]);
    // The code does cite the documents (a scan that found nothing would pass for the wrong reason).
    expect(totals.rules).toBeGreaterThan(100);
    expect(totals.vendor).toBeGreaterThan(50);
  });
});
