import { VendorFailure } from '@connectors/core/src';
import { salesforceDescriptor } from '../descriptor';

/**
 * Readers of jsforce's failures for the core door, which makes them our VendorError.
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

function networkFailure(e: JsforceErrorShape): VendorFailure | undefined {
  if (e.name === 'FetchError' || (e.code && NETWORK_CODE.test(e.code))) return { unreachable: true, code: e.code, message: e.message ?? e.code };
  return undefined;
}

/** A failed REST call (query, describe, a write); `status` is the HTTP status the transport saw, if any. */
export function restFailure(error: unknown, status?: number): VendorFailure | undefined {
  const e = shape(error);
  if (typeof e.errorCode !== 'string') return networkFailure(e);
  const code = e.errorCode;
  // README "Limits": the daily allocation's exhaustion is a 403.
  const httpStatus = code === salesforceDescriptor.limitErrorCode ? 403 : (status ?? statusFromCode(code));
  return { status: httpStatus, code, message: e.message ?? code };
}

/** A failed token request, read with `signingIn`: refused credentials carry Salesforce's error_description. */
export function tokenFailure(error: unknown, status?: number): VendorFailure | undefined {
  const e = shape(error);
  const network = networkFailure(e);
  if (network) return network;
  const httpStatus = status ?? statusFromCode(e.name);
  if (httpStatus === undefined && !e.name) return undefined;
  const unsaid = httpStatus !== undefined && httpStatus >= 500 ? `token endpoint answered ${httpStatus}` : e.name || 'Salesforce refused the credentials';
  return { status: httpStatus, code: e.name, message: e.message || unsaid };
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
