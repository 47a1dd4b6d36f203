import { retryAfterMs, VendorError } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';

/**
 * The SDK throws one ApiException class per generated module (companies, owners, oauth, …), so
 * `instanceof` cannot recognise them all: we look at the shape instead.
 */
interface ApiExceptionLike {
  code: number;
  body: unknown;
  headers: Record<string, string>;
}

export function isApiException(error: unknown): error is ApiExceptionLike {
  const e = error as Partial<ApiExceptionLike> | null;
  return typeof e === 'object' && e !== null && typeof e.code === 'number' && 'body' in e && typeof e.headers === 'object';
}

/** HubSpot's error body: `{ status: 'error', message, correlationId, category, policyName? }`. */
interface HubSpotErrorBody {
  status?: string;
  message?: string;
  category?: string;
  policyName?: string;
}

function errorBody(body: unknown): HubSpotErrorBody {
  if (typeof body === 'string') {
    try {
      return errorBody(JSON.parse(body));
    } catch {
      return { message: body || undefined };
    }
  }
  return typeof body === 'object' && body !== null ? (body as HubSpotErrorBody) : {};
}

/** node-fetch's FetchError for a connection that failed: no HTTP status, a system code. */
function networkCode(error: unknown): string | undefined {
  const e = error as { name?: string; code?: unknown; errno?: unknown } | null;
  if (typeof e !== 'object' || e === null || e.name !== 'FetchError') return undefined;
  return typeof e.code === 'string' ? e.code : typeof e.errno === 'string' ? e.errno : 'FETCH_ERROR';
}

/**
 * A failed SDK call → our VendorError, keeping HubSpot's message and the code the retry policy
 * reads: the 429 policy (TEN_SECONDLY_ROLLING, DAILY) or SECONDLY for search's per-second limit.
 * Anything we do not recognise (a bug) is returned unchanged.
 */
export function toVendorError(error: unknown): unknown {
  if (error instanceof VendorError) return error;
  const network = networkCode(error);
  if (network) return new VendorError('hubspot', 'unavailable', (error as Error).message, { code: network });
  if (!isApiException(error)) return error;

  const status = error.code;
  const body = errorBody(error.body);
  const message = body.message ?? `HubSpot answered HTTP ${status}`;
  const headers = Object.fromEntries(Object.entries(error.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const waitMs = retryAfterMs(headers);
  if (status === 429) {
    const code = body.policyName ?? (message === hubspotDescriptor.secondlyLimitMessage ? 'SECONDLY' : undefined);
    return new VendorError('hubspot', 'rate_limited', message, { status, code, retryAfterMs: waitMs });
  }
  // 403 is a missing scope: like a refused token, only an admin can fix it.
  if (status === 401 || status === 403) return new VendorError('hubspot', 'auth', message, { status, code: body.category });
  if (status === 404) return new VendorError('hubspot', 'not_found', message, { status, code: body.category });
  if (status >= 500 || status === 408) return new VendorError('hubspot', 'unavailable', message, { status, code: body.category, retryAfterMs: waitMs });
  return new VendorError('hubspot', 'invalid', message, { status, code: body.category ?? body.status });
}

/**
 * The token endpoint refusing a refresh (400 BAD_REFRESH_TOKEN, BAD_CLIENT_ID, 401): the
 * connection needs an admin. Outages stay retryable.
 */
export function refusedTokenError(error: unknown): unknown {
  const mapped = toVendorError(error);
  if (!(mapped instanceof VendorError) || mapped.retryable || mapped.kind === 'auth') return mapped;
  const status = mapped.details.status;
  const body = isApiException(error) ? errorBody(error.body) : {};
  return new VendorError('hubspot', 'auth', mapped.message, { status, code: body.status ?? mapped.details.code });
}
