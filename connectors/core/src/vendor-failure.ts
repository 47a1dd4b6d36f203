import { retryAfterMs, RetryFacts } from './retry-policy';
import { VendorError, VendorErrorKind } from './vendor-error';

/**
 * What a failed vendor call said, read out of its SDK's error shape by the vendor's own small
 * reader (connectors/<vendor>): everything else about the failure is decided here, once.
 */
export interface VendorFailure {
  /** The HTTP status, when an answer came. */
  status?: number;
  /** The vendor's code from the body (REQUEST_LIMIT_EXCEEDED, a 429's policy name, RecordInvalid, …), or the system code when unreachable. */
  code?: string;
  /** The vendor's own sentence, kept for the person who reads the error. */
  message?: string;
  /** The answer's headers, lower-cased names: the wait it asked for, usage it reported. */
  headers?: Record<string, string | string[] | undefined>;
  /** No answer at all: the connection failed (ECONNRESET, ENOTFOUND, …; `code` names it). */
  unreachable?: boolean;
}

/**
 * Where a vendor's statuses and codes mean something else than core's reading (429 rate
 * limited, 401/403 auth, 404 not found, 408 and 5xx unavailable, any other answer invalid):
 * data in its descriptor. Codes win over statuses.
 */
export interface ErrorKindFacts {
  readonly statusKinds?: Readonly<Record<number, VendorErrorKind>>;
  readonly codeKinds?: Readonly<Record<string, VendorErrorKind>>;
}

/** The vendor facts the door reads: its name, its label for messages, and its descriptor's data. */
export interface VendorHttpFacts {
  readonly kind: string;
  readonly label: string;
  /** How long one request may take to be fully answered (the connection may shorten it). */
  readonly requestTimeoutMs: number;
  readonly retry: RetryFacts;
  readonly errorKinds?: ErrorKindFacts;
  readonly usageHeaders?: UsageHeaders;
}

/**
 * Which headers report the vendor's usage of its allocation: a limit and what remains of it
 * (X-Rate-Limit / X-Rate-Limit-Remaining), or one header holding "used/limit" (Sforce-Limit-Info:
 * api-usage=12/15000), read by `usedOfLimit` (first group used, second limit).
 */
export type UsageHeaders = { readonly limit: string; readonly remaining: string } | { readonly header: string; readonly usedOfLimit: RegExp };

function statusKind(status: number | undefined): VendorErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth'; // a refused token or a missing right: only an admin can fix it
  if (status === 404) return 'not_found';
  if (status !== undefined && (status >= 500 || status === 408)) return 'unavailable';
  return 'invalid';
}

/** The one status → kind reading, with the vendor's deviations from its descriptor. */
function errorKindOf(failure: VendorFailure, facts: ErrorKindFacts = {}): VendorErrorKind {
  if (failure.unreachable) return 'unavailable';
  const byCode = failure.code === undefined ? undefined : facts.codeKinds?.[failure.code];
  const byStatus = failure.status === undefined ? undefined : facts.statusKinds?.[failure.status];
  return byCode ?? byStatus ?? statusKind(failure.status);
}

/**
 * A failure as our VendorError, with the vendor's words kept. `signingIn`: an answer from the
 * token endpoint that refuses (anything not worth retrying) means the credentials need an admin.
 */
export function vendorErrorOf(facts: VendorHttpFacts, failure: VendorFailure, signingIn = false): VendorError {
  const { status, code } = failure;
  if (failure.unreachable) return new VendorError(facts.kind, 'unavailable', `${facts.label} unreachable: ${failure.message ?? code}`, { code });
  let kind = errorKindOf(failure, facts.errorKinds);
  if (signingIn && kind !== 'rate_limited' && kind !== 'unavailable') kind = 'auth';
  const message = failure.message ?? `${facts.label} answered HTTP ${status}`;
  const retryable = kind === 'rate_limited' || kind === 'unavailable';
  const waitMs = retryable ? retryAfterMs(failure.headers, Date.now(), facts.retry.retryAfterHeaders) : undefined;
  return new VendorError(facts.kind, kind, message, { status, code, ...(waitMs !== undefined ? { retryAfterMs: waitMs } : {}) });
}

/** The code of a write that may or may not have been applied: the caller looks before writing again. */
export const OUTCOME_UNKNOWN = 'OUTCOME_UNKNOWN';

/**
 * Failures that happen before a request leaves this machine: nothing reached the vendor (a
 * connection never made, a name not resolved, our shared rate budget not counted).
 */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'RATE_BUDGET_UNAVAILABLE']);

/**
 * Whether a failed write may have been applied: an answer lost after the request went out (a
 * 5xx or 408, a dropped connection, our deadline). A refusal (429, 4xx, auth) was answered
 * before anything was written; an error we do not know is never taken as "not applied".
 */
export function mayHaveBeenApplied(error: unknown): boolean {
  if (!(error instanceof VendorError)) return true;
  if (error instanceof UncertainWrite) return true;
  if (error.kind !== 'unavailable') return false;
  const status = error.details.status;
  if (status !== undefined) return status >= 500 || status === 408;
  return !NOT_SENT_CODES.has(error.details.code ?? '');
}

/**
 * A write the vendor may have applied without an answer saying so: never resent blindly.
 * 'unavailable' (the job tries later), with the status and wait of the failure it wraps.
 */
export class UncertainWrite extends VendorError {
  constructor(
    vendor: string,
    message: string,
    readonly failure: unknown,
    code?: string,
  ) {
    const known = failure instanceof VendorError ? failure : undefined;
    const wait = known?.details.retryAfterMs;
    super(vendor, 'unavailable', message, {
      status: known?.details.status,
      code: code ?? known?.details.code ?? OUTCOME_UNKNOWN,
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    });
    this.name = 'UncertainWrite';
  }
}

/** The message of a failure, for the sentences that wrap it. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
