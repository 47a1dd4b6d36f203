import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_THEME_KEYWORDS } from '@libs/nps/src';

/**
 * The program rules (libs/nps) and the connector core (ports, retry policy, paging) name no
 * vendor: a vendor's facts live in its own folder and reach core through its descriptor, and the
 * one line per vendor is connectors/core/registry.ts (outside src). The vendors are the folders
 * under connectors/, so a vendor added tomorrow is checked the same way.
 */
const ROOT = path.resolve(__dirname, '..');
const CONNECTORS = path.join(ROOT, 'connectors');

const vendors = (): string[] =>
  fs
    .readdirSync(CONNECTORS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'core')
    .map((entry) => entry.name);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/**
 * Theme keywords are words customers type in comments ("we need a … integration"), not vendor
 * shapes: quoted keywords are left out of the search.
 */
const KEYWORDS = new Set(Object.values(DEFAULT_THEME_KEYWORDS).flat());

function withoutKeywords(source: string): string {
  return source.replace(/'([^'\n]*)'/g, (quoted, text: string) => (KEYWORDS.has(text) ? "''" : quoted));
}

/** Every line of the files under `dir` naming a vendor, as "file:line: text". */
export function vendorMentions(dir: string, names: readonly string[], keepKeywords = false): string[] {
  const pattern = new RegExp(names.map((n) => n.replace(/[^a-z0-9]/gi, '')).join('|'), 'i');
  return sourceFiles(dir).flatMap((file) => {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    return lines.flatMap((line, i) => {
      const searched = keepKeywords ? withoutKeywords(line) : line;
      return pattern.test(searched) ? [`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [];
    });
  });
}

describe('vendor names', () => {
  it('knows the vendors from the connector folders', () => {
    expect(vendors()).toEqual(expect.arrayContaining(['hubspot', 'salesforce', 'zendesk']));
  });

  it('appear nowhere in libs/nps but as theme keywords customers type', () => {
    expect(vendorMentions(path.join(ROOT, 'libs/nps/src'), vendors(), true)).toEqual([]);
  });

  it('appear nowhere in connectors/core/src: ports and retry policy are in product words', () => {
    expect(vendorMentions(path.join(CONNECTORS, 'core/src'), vendors())).toEqual([]);
  });

  describe('the check itself', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vendor-names-'));
    const file = path.relative(ROOT, path.join(dir, 'a.ts'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('finds a vendor in a type, a comment or a setting name, whatever its case', () => {
      fs.writeFileSync(path.join(dir, 'a.ts'), "export type HelpdeskAction = 'x';\n/** Zendesk trigger id */\nconst zendeskDueHours = 1;\n");
      expect(vendorMentions(dir, ['zendesk'])).toEqual([`${file}:2: /** Zendesk trigger id */`, `${file}:3: const zendeskDueHours = 1;`]);
    });

    it('lets a quoted theme keyword through, and only that', () => {
      fs.writeFileSync(path.join(dir, 'a.ts'), "const keywords = ['jira', 'salesforce'];\nconst salesforceRole = 'salesforce';\n");
      expect(vendorMentions(dir, ['salesforce'], true)).toEqual([`${file}:2: const salesforceRole = 'salesforce';`]);
    });
  });
});
