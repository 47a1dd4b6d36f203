import { BadRequestException, HttpException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { json, urlencoded } from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** The largest body any route takes (admin JSON, helpdesk webhooks, survey forms). */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Deeper JSON is refused while parsing, before validation walks it recursively. */
export const MAX_JSON_DEPTH = 32;

class TooDeep extends Error {}

/**
 * Whether a JSON text nests objects/arrays deeper than `max`: one pass over the bytes, no
 * recursion. UTF-8 continuation bytes are all ≥ 0x80, so they never look like a bracket or quote.
 */
export function jsonNestsDeeperThan(text: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (const byte of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (byte === 0x5c) escaped = true;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > max) return true;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return false;
}

/** The raw bytes stay on the request: helpdesk webhooks verify their signature over them. */
function keepRawBody(req: Request & { rawBody?: Buffer }, _res: Response, buffer: Buffer): void {
  req.rawBody = buffer;
}

const LIMIT_WORDS = `${BODY_LIMIT_BYTES / 1024 / 1024} MB`;

/** body-parser's errors (http-errors with a `type`) as answers naming the body. */
function bodyError(error: unknown): unknown {
  if (error instanceof HttpException) return error;
  if (error instanceof TooDeep) return new BadRequestException([`body: JSON nested deeper than ${MAX_JSON_DEPTH} levels`]);
  const { type, status, message } = (error ?? {}) as { type?: string; status?: number; message?: string };
  switch (type) {
    case 'entity.too.large':
      return new PayloadTooLargeException([`body: larger than the limit of ${LIMIT_WORDS}`]);
    case 'parameters.too.many':
      return new PayloadTooLargeException(['body: too many form fields']);
    case 'entity.parse.failed':
      return new BadRequestException([`body: is not valid JSON (${message})`]);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeException([`body: ${message}`]);
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpException({ statusCode: status, message: [`body: ${message ?? 'cannot be read'}`] }, status);
  }
  return error;
}

/**
 * Wraps a parser so its errors become answers naming the body; keeps the parser's function name,
 * which is how Nest sees that a JSON/urlencoded parser is installed and adds none of its own.
 */
function named(name: 'jsonParser' | 'urlencodedParser', parser: RequestHandler): RequestHandler {
  const wrapped = {
    [name]: (req: Request, res: Response, next: NextFunction) => {
      parser(req, res, (error?: unknown) => next(error === undefined ? undefined : bodyError(error)));
    },
  };
  return wrapped[name];
}

export function jsonBodyParser(): RequestHandler {
  return named(
    'jsonParser',
    json({
      limit: BODY_LIMIT_BYTES,
      verify: (req, res, buffer) => {
        keepRawBody(req as Request, res as Response, buffer);
        if (jsonNestsDeeperThan(buffer, MAX_JSON_DEPTH)) throw new TooDeep();
      },
    }),
  );
}

export function urlencodedBodyParser(): RequestHandler {
  // qs keeps brackets past depth 5 as plain key text, so a form cannot nest deeply either.
  return named('urlencodedParser', urlencoded({ extended: true, limit: BODY_LIMIT_BYTES, verify: (req, res, buffer) => keepRawBody(req as Request, res as Response, buffer) }));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode text)';
  return null;
}

/** Every string (and key) in a parsed body or query that Postgres cannot store, by field path. */
export function unstorableText(value: unknown, root: string): string[] {
  const problems: string[] = [];
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) problems.push(`${path || 'body'}: ${problem}`);
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        const childPath = Array.isArray(current) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
        const keyProblem = textProblem(key);
        if (keyProblem) problems.push(`${childPath}: the field name ${keyProblem}`);
        else stack.push([child, childPath]);
      }
    }
  }
  return problems.sort();
}

/**
 * Refuses NUL characters and lone surrogates anywhere in the body or the query with 400 naming
 * the field: Postgres text and jsonb cannot hold them, so they would otherwise fail deep inside.
 */
export function refuseUnstorableText(req: Request, _res: Response, next: NextFunction): void {
  const problems = [...unstorableText(req.query, ''), ...unstorableText(req.body, '')];
  if (problems.length) {
    next(new BadRequestException(problems));
    return;
  }
  next();
}
