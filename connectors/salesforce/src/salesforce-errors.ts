import { VendorError } from '@connectors/core/src';
import { salesforceDescriptor } from '../descriptor';

/**
 * jsforce's failures as our one VendorError, with Salesforce's code and message kept.
 * REST errors arrive as HttpApiError (errorCode from the JSON array body, no status: we take it
 * from the response the transport saw); token errors as an Error named after the OAuth `error`
 * with `error_description` as message; network failures as node-fetch FetchError with a code.
 */
interface JsforceErrorShape {
  name?: string;
  message?: string;
  errorCode?: string;
  code?: string;
  type?: string;
}

const NETWORK_CODE = /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/;

function shape(error: unknown): JsforceErrorShape {
  return typeof error === 'object' && error !== null ? (error as JsforceErrorShape) : { message: String(error) };
}

/** jsforce names errors with unparseable bodies ERROR_HTTP_<status>. */
function statusFromCode(code: string | undefined): number | undefined {
  const m = /^ERROR_HTTP_(\d{3})$/.exec(code ?? '');
  return m ? Number(m[1]) : undefined;
}

function networkError(e: JsforceErrorShape): VendorError | undefined {
  if (e.name === 'FetchError' || (e.code && NETWORK_CODE.test(e.code))) {
    return new VendorError('salesforce', 'unavailable', `Salesforce unreachable: ${e.message ?? e.code}`, { code: e.code });
  }
  return undefined;
}

/** A failed REST call (query, describe); `status` is the HTTP status the transport saw, if any. */
export function restCallError(error: unknown, status?: number): unknown {
  if (error instanceof VendorError) return error;
  const e = shape(error);
  if (typeof e.errorCode !== 'string') return networkError(e) ?? error;
  const code = e.errorCode;
  const httpStatus = status ?? statusFromCode(code);
  const message = e.message ?? code;
  const details = { status: httpStatus, code };
  if (code === salesforceDescriptor.limitErrorCode) return new VendorError('salesforce', 'rate_limited', message, { ...details, status: 403 });
  if (httpStatus === 401 || code === salesforceDescriptor.sessionErrorCode) return new VendorError('salesforce', 'auth', message, details);
  if (httpStatus !== undefined && httpStatus >= 500) return new VendorError('salesforce', 'unavailable', message, details);
  if (httpStatus === 404 || code === 'NOT_FOUND') return new VendorError('salesforce', 'not_found', message, details);
  return new VendorError('salesforce', 'invalid', message, details);
}

/** A failed token request: refused credentials are 'auth' with Salesforce's error_description. */
export function tokenError(error: unknown, status?: number): unknown {
  if (error instanceof VendorError) return error;
  const e = shape(error);
  const network = networkError(e);
  if (network) return network;
  const httpStatus = status ?? statusFromCode(e.name);
  if (httpStatus !== undefined && httpStatus >= 500) {
    return new VendorError('salesforce', 'unavailable', e.message || `token endpoint answered ${httpStatus}`, { status: httpStatus, code: e.name });
  }
  if (httpStatus === undefined && !e.name) return error;
  return new VendorError('salesforce', 'auth', e.message || e.name || 'Salesforce refused the credentials', {
    status: httpStatus,
    code: e.name,
  });
}

/** Network failures that happen before a request leaves: nothing reached Salesforce. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * A write that reached Salesforce (or may have) and got no usable answer: a 5xx, a dropped
 * connection, a timeout. Salesforce may have committed it, so it is never resent blindly.
 */
export class UncertainWrite extends VendorError {
  constructor(readonly failure: unknown) {
    const known = failure instanceof VendorError ? failure : undefined;
    super('salesforce', 'unavailable', `Salesforce gave no usable answer to a write it may have applied: ${known?.message ?? (failure instanceof Error ? failure.message : String(failure))}`, {
      status: known?.details.status,
      code: known?.details.code ?? 'OUTCOME_UNKNOWN',
    });
    this.name = 'UncertainWrite';
  }
}

/** Whether a failed request may have been applied: anything but a refusal or a connection never made. */
export function mayHaveBeenApplied(error: unknown): boolean {
  if (!(error instanceof VendorError)) return true;
  if (error.kind !== 'unavailable') return false;
  if (error.details.status !== undefined) return error.details.status >= 500;
  return !NOT_CONNECTED.has(error.details.code ?? '');
}

/**
 * SaveResult status codes that fail the same way on every attempt (Salesforce's StatusCode
 * list): a bad value, a missing or deleted record, a validation rule, a field the user may not
 * write. Anything else (UNABLE_TO_LOCK_ROW, UNKNOWN_EXCEPTION, a trigger's error, a rolled-back
 * neighbour) may pass later.
 */
export const PERMANENT_STATUS_CODES: ReadonlySet<string> = new Set([
  'REQUIRED_FIELD_MISSING',
  'INVALID_CROSS_REFERENCE_KEY',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'FIELD_FILTER_VALIDATION_EXCEPTION',
  'FIELD_INTEGRITY_EXCEPTION',
  'INVALID_FIELD',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INVALID_TYPE',
  'INVALID_TYPE_ON_FIELD_IN_RECORD',
  'INVALID_ID_FIELD',
  'MALFORMED_ID',
  'ENTITY_IS_DELETED',
  'STRING_TOO_LONG',
  'NUMBER_OUTSIDE_VALID_RANGE',
  'INVALID_EMAIL_ADDRESS',
  'INACTIVE_OWNER_OR_USER',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'DUPLICATE_VALUE',
  'DUPLICATES_DETECTED',
  'JSON_PARSER_ERROR',
]);
