import { retryAfterMs, VendorError } from '@connectors/core/src';
import { zendeskDescriptor } from '../descriptor';

/**
 * Zendesk's error bodies come in two shapes: the classic `{ error, description, details }`
 * (tickets, users; a 401 is `{ "error": "Couldn't authenticate you" }`, a closed ticket's 422
 * names the field in `details.status[].description`) and the newer `{ errors: [{ code, title,
 * detail }] }` of the webhooks API. Both keep their words in our VendorError.
 */
interface ClassicErrorBody {
  error?: string | { title?: string; message?: string };
  description?: string;
  details?: Record<string, Array<{ description?: string; error?: string }> | undefined>;
}

interface JsonApiErrorBody {
  errors?: Array<{ code?: string; title?: string; detail?: string }>;
}

const IDENTIFIER = /^[A-Za-z_]+$/;

function parse(body: unknown): ClassicErrorBody & JsonApiErrorBody {
  if (typeof body === 'string') {
    try {
      return parse(JSON.parse(body));
    } catch {
      return body.trim() ? { description: body.trim().slice(0, 200) } : {};
    }
  }
  return typeof body === 'object' && body !== null ? (body as ClassicErrorBody & JsonApiErrorBody) : {};
}

/** Zendesk's code (RecordInvalid, RecordNotFound, …) and its sentence, from an error body. */
export function readErrorBody(body: unknown): { code?: string; message?: string } {
  const parsed = parse(body);
  if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
    const message = parsed.errors.map((e) => e.detail ?? e.title ?? e.code).filter(Boolean).join('; ');
    return { code: parsed.errors[0].code, message: message || undefined };
  }
  const error = typeof parsed.error === 'object' && parsed.error !== null ? parsed.error.title : parsed.error;
  const errorText = typeof parsed.error === 'object' && parsed.error !== null ? parsed.error.message : undefined;
  const details = Object.values(parsed.details ?? {})
    .flatMap((list) => list ?? [])
    .map((d) => d.description)
    .filter((d): d is string => typeof d === 'string');
  const code = error && IDENTIFIER.test(error) ? error : undefined;
  // "Couldn't authenticate you" is both the code and the sentence: keep it as the sentence.
  const lead = parsed.description ?? errorText ?? (code ? undefined : error);
  const message = [lead, ...details].filter(Boolean).join(': ');
  return { code, message: message || code };
}

/** A non-2xx HTTP answer as our VendorError; `headers` lower-cased. */
export function responseError(status: number, headers: Record<string, string>, body: unknown): VendorError {
  const { code, message: said } = readErrorBody(body);
  const message = said ?? `Zendesk answered HTTP ${status}`;
  const waitMs = retryAfterMs(headers, Date.now(), zendeskDescriptor.retry.retryAfterHeaders);
  const details = { status, code, retryAfterMs: waitMs };
  if (status === 429) return new VendorError('zendesk', 'rate_limited', message, details);
  // 403 is an agent without admin rights (exports, webhooks, triggers): like a refused token, only an admin can fix it.
  if (status === 401 || status === 403) return new VendorError('zendesk', 'auth', message, { status, code });
  if (status === 404) return new VendorError('zendesk', 'not_found', message, { status, code });
  if (status >= 500 || status === 408) return new VendorError('zendesk', 'unavailable', message, details);
  return new VendorError('zendesk', 'invalid', message, { status, code });
}

/** fetch's "fetch failed" TypeError carries the system error (ECONNREFUSED, …) as its cause. */
export function networkError(error: unknown): VendorError {
  const e = error as { message?: string; code?: unknown; cause?: { code?: unknown; message?: string } };
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : typeof e?.code === 'string' ? e.code : 'FETCH_ERROR';
  return new VendorError('zendesk', 'unavailable', `Zendesk unreachable: ${e?.cause?.message ?? e?.message ?? code}`, { code });
}

/**
 * node-zendesk's own errors (`{ statusCode, result }`). Its checkRequestResponse turns *any*
 * response with a Retry-After header into statusCode 429 with the hard-coded message "Zendesk
 * rate limits 200 requests per minute", and without throwOriginalException it rewraps every error
 * into a plain Error without the status. Our transport answers non-2xx itself and hides
 * Retry-After on 2xx, so this only maps what slips through, with Zendesk's words from `result`.
 */
export function sdkError(error: unknown): unknown {
  if (error instanceof VendorError) return error;
  const e = error as { statusCode?: unknown; result?: unknown } | null;
  if (typeof e !== 'object' || e === null || typeof e.statusCode !== 'number') return error;
  return responseError(e.statusCode, {}, e.result);
}
