/**
 * TypeORM's raw `query()` on Postgres answers an UPDATE/DELETE … RETURNING with
 * `[rows, affectedCount]` and an INSERT/SELECT with `rows`; these read either the same way.
 */
export function returnedRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) && typeof result[1] === 'number' ? result[0] : result) as T[];
}

export function affectedCount(result: unknown): number {
  return Array.isArray(result) && Array.isArray(result[0]) && typeof result[1] === 'number' ? result[1] : (result as unknown[]).length;
}
