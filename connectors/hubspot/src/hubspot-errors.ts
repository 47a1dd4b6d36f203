import { VendorFailure } from '@connectors/core/src';
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

function isApiException(error: unknown): error is ApiExceptionLike {
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

/** HubSpot's `status` is "error" in API answers; the token endpoint puts its code there (BAD_REFRESH_TOKEN). */
const NOT_A_CODE = 'error';

/**
 * A failed SDK call as the core door reads it, keeping HubSpot's message and the code the retry
 * policy reads: the 429 policy (TEN_SECONDLY_ROLLING, DAILY) or SECONDLY for search's per-second
 * limit, else the category (or the token endpoint's code). Anything we do not recognise (a bug)
 * is left to be rethrown unchanged.
 */
export function hubspotFailure(error: unknown): VendorFailure | undefined {
  const network = networkCode(error);
  if (network) return { unreachable: true, code: network, message: (error as Error).message };
  if (!isApiException(error)) return undefined;
  const status = error.code;
  const body = errorBody(error.body);
  const headers = Object.fromEntries(Object.entries(error.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const code =
    status === 429
      ? (body.policyName ?? (body.message === hubspotDescriptor.secondlyLimitMessage ? 'SECONDLY' : undefined))
      : (body.category ?? (body.status === NOT_A_CODE ? undefined : body.status));
  return { status, code, message: body.message, headers };
}
