import { badRequest, SandboxAnswer } from './sandbox-errors';
import { SandboxTask } from './sandbox-tasks';

export interface TaskSearchBody {
  filterGroups?: Array<{ filters?: Array<{ propertyName?: string; operator?: string; value?: string }> }>;
  sorts?: Array<string | { propertyName?: string; direction?: string }>;
  properties?: string[];
  limit?: number;
  after?: string;
}

/** The task properties this sandbox can search and sort on: the two times, and the subject's words. */
const TIMES = new Set(['hs_lastmodifieddate', 'hs_createdate']);
const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  EQ: (a, b) => a === b,
  GT: (a, b) => a > b,
  GTE: (a, b) => a >= b,
  LT: (a, b) => a < b,
  LTE: (a, b) => a <= b,
};

const time = (value: string | undefined) => (Number.isFinite(Number(value)) ? Number(value) : Date.parse(value ?? ''));

/**
 * CONTAINS_TOKEN as HubSpot documents it: a whole word of the value, case-insensitive, where `*`
 * in the search value stands for any run of characters ("NPS*" also matches "NPSfeedback").
 */
function containsToken(text: string, token: string): boolean {
  const pattern = new RegExp(
    `^${token
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return text.split(/[^\p{L}\p{N}]+/u).some((word) => word !== '' && pattern.test(word));
}

/**
 * The tasks a search selects, sorted (hs_lastmodifieddate or hs_createdate, ascending by
 * default); a filter or sort this sandbox does not imitate is a 400 rather than a silent match.
 */
export function searchTasks(tasks: SandboxTask[], body: TaskSearchBody, values: (task: SandboxTask) => Record<string, string>): SandboxTask[] | SandboxAnswer {
  const groups = body.filterGroups ?? [];
  const tests: Array<Array<(v: Record<string, string>) => boolean>> = [];
  for (const group of groups) {
    const all: Array<(v: Record<string, string>) => boolean> = [];
    for (const f of group.filters ?? []) {
      const name = f.propertyName ?? '';
      if (TIMES.has(name) && f.operator && COMPARE[f.operator] && Number.isFinite(time(f.value))) {
        const [compare, bound] = [COMPARE[f.operator], time(f.value)];
        all.push((v) => compare(Date.parse(v[name]), bound));
      } else if (name === 'hs_task_subject' && f.operator === 'CONTAINS_TOKEN' && f.value) {
        const token = f.value;
        all.push((v) => containsToken(v.hs_task_subject ?? '', token));
      } else {
        return badRequest(`This sandbox searches tasks on ${[...TIMES].join(' or ')} (EQ, GT, GTE, LT, LTE) and hs_task_subject CONTAINS_TOKEN; got ${name} ${f.operator}.`);
      }
    }
    tests.push(all);
  }
  const sort = body.sorts?.[0];
  const sortName = (typeof sort === 'string' ? sort.replace(/^-/, '') : sort?.propertyName) ?? 'hs_lastmodifieddate';
  const descending = typeof sort === 'string' ? sort.startsWith('-') : sort?.direction === 'DESCENDING';
  if (!TIMES.has(sortName)) return badRequest(`Cannot sort on ${sortName} in this sandbox.`);
  const rows = tasks.map((task) => ({ task, v: values(task) })).filter(({ v }) => tests.length === 0 || tests.some((all) => all.every((test) => test(v))));
  rows.sort((a, b) => Date.parse(a.v[sortName]) - Date.parse(b.v[sortName]) || Number(a.task.id) - Number(b.task.id));
  if (descending) rows.reverse();
  return rows.map(({ task }) => task);
}
