const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a source value cannot be stored (Postgres text and jsonb hold no NUL character, and jsonb
 * no lone UTF-16 surrogate), or null. Walks nested arrays and objects, keys included.
 */
export function unstorableText(value: unknown): string | null {
  const stack: unknown[] = [value];
  while (stack.length) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return 'contains a NUL character, which cannot be stored';
      if (LONE_SURROGATE.test(current)) return 'contains a lone UTF-16 surrogate (not valid Unicode text)';
    } else if (current !== null && typeof current === 'object') {
      if (Array.isArray(current)) stack.push(...current);
      else for (const [key, child] of Object.entries(current)) stack.push(key, child);
    }
  }
  return null;
}

/** The same for a CSV row's fields, without walking: the check every row of a large file pays. */
export function unstorableFields(fields: readonly string[]): string | null {
  for (const field of fields) {
    if (field.includes('\u0000')) return 'contains a NUL character, which cannot be stored';
    if (LONE_SURROGATE.test(field)) return 'contains a lone UTF-16 surrogate (not valid Unicode text)';
  }
  return null;
}
