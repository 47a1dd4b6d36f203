import { VendorFailure } from '@connectors/core/src';

/**
 * Zendesk's error bodies come in two shapes: the classic `{ error, description, details }`
 * (tickets, users; a 401 is `{ "error": "Couldn't authenticate you" }`, a closed ticket's 422
 * names the field in `details.status[].description`) and the newer `{ errors: [{ code, title,
 * detail }] }` of the webhooks API. Both keep their words in our VendorError, which core's
 * door makes from what these readers find.
 */
interface ClassicErrorBody {
  error?: string | { title?: string; message?: string };
  description?: string;
  /** OAuth endpoints (RFC 6749 §5.2): `{ "error": "invalid_grant", "error_description": "…" }`. */
  error_description?: string;
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
function readErrorBody(body: unknown): { code?: string; message?: string } {
  const parsed = parse(body);
  if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
    const message = parsed.errors
      .map((e) => e.detail ?? e.title ?? e.code)
      .filter(Boolean)
      .join('; ');
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
  const lead = parsed.description ?? parsed.error_description ?? errorText ?? (code ? undefined : error);
  const message = [lead, ...details].filter(Boolean).join(': ');
  return { code, message: message || code };
}

/** A non-2xx HTTP answer as the door reads it; `headers` lower-cased. */
export function answerFailure(status: number, headers: Record<string, string>, body: unknown): VendorFailure {
  return { status, headers, ...readErrorBody(body) };
}

/** fetch's "fetch failed" TypeError carries the system error (ECONNREFUSED, …) as its cause. */
export function networkFailure(error: unknown): VendorFailure {
  const e = error as { message?: string; code?: unknown; cause?: { code?: unknown; message?: string } };
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : typeof e?.code === 'string' ? e.code : 'FETCH_ERROR';
  return { unreachable: true, code, message: e?.cause?.message ?? e?.message ?? code };
}

/**
 * node-zendesk's own errors (`{ statusCode, result }`). Its checkRequestResponse turns *any*
 * response with a Retry-After header into statusCode 429 with the hard-coded message "Zendesk
 * rate limits 200 requests per minute", and without throwOriginalException it rewraps every error
 * into a plain Error without the status. Our transport answers non-2xx itself and hides
 * Retry-After on 2xx, so this only reads what slips through, with Zendesk's words from `result`.
 */
export function sdkFailure(error: unknown): VendorFailure | undefined {
  const e = error as { statusCode?: unknown; result?: unknown } | null;
  if (typeof e !== 'object' || e === null || typeof e.statusCode !== 'number') return undefined;
  return answerFailure(e.statusCode, {}, e.result);
}
