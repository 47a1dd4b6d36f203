import { randomUUID } from 'node:crypto';

/** An answer before it is written: status, JSON body, extra headers. */
export interface SandboxAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** HubSpot's error body: `{ status: 'error', message, correlationId, category, … }`. */
export function hubspotError(status: number, message: string, category: string, extra: Record<string, unknown> = {}): SandboxAnswer {
  return { status, body: { status: 'error', message, correlationId: randomUUID(), category, ...extra } };
}

export function rateLimited(policyName: 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY'): SandboxAnswer {
  const message =
    policyName === 'TEN_SECONDLY_ROLLING'
      ? 'You have reached your ten_secondly_rolling limit.'
      : policyName === 'DAILY'
        ? 'You have reached your daily limit.'
        : 'You have reached your secondly limit.';
  // Search's per-second 429 is told apart by its message alone (the SDK checks exactly that).
  const policy = policyName === 'SECONDLY' ? {} : { policyName };
  return { status: 429, body: { status: 'error', message, errorType: 'RATE_LIMIT', correlationId: randomUUID(), ...policy } };
}

export const unavailable = (): SandboxAnswer => hubspotError(503, 'Service Unavailable: the sandbox was told to fail this request.', 'SERVICE_UNAVAILABLE');
export const notFound = (path: string): SandboxAnswer => hubspotError(404, `No route for ${path} in the HubSpot sandbox.`, 'OBJECT_NOT_FOUND');
export const badRequest = (message: string): SandboxAnswer => hubspotError(400, message, 'VALIDATION_ERROR');

/** HubSpot's answer to more than 100 inputs on any batch endpoint. */
export const BATCH_MAX = 100;
export const tooManyInputs = (): SandboxAnswer => badRequest(`The maximum number of inputs supported in a batch is ${BATCH_MAX}. Please reduce the number of items and try again`);

/** One refused property value, as HubSpot lists it inside its 400 message. */
export interface PropertyProblem {
  name: string;
  /** PROPERTY_DOESNT_EXIST, READ_ONLY_VALUE, INVALID_OPTION, INVALID_INTEGER, INVALID_DATE, … */
  error: string;
  message: string;
  /** The refused value; HubSpot quotes it for bad values, not for unknown properties. */
  value?: string;
}

/**
 * HubSpot's body for invalid property values: the details JSON-encoded inside `message`, and
 * again (shorter) under `errors` (HubSpot's error-handling guide quotes both).
 */
export function propertyValuesBody(problems: PropertyProblem[]) {
  const details = problems.map((p) => ({
    isValid: false,
    message: p.message,
    error: p.error,
    name: p.name,
    localizedErrorMessage: p.message,
    ...(p.value !== undefined ? { propertyValue: p.value } : {}),
  }));
  return {
    status: 'error',
    message: `Property values were not valid: ${JSON.stringify(details)}`,
    correlationId: randomUUID(),
    errors: problems.map((p) => ({ message: p.message, code: p.error, context: { propertyName: [p.name] } })),
    category: 'VALIDATION_ERROR',
  };
}

export const invalidProperties = (problems: PropertyProblem[]): SandboxAnswer => ({ status: 400, body: propertyValuesBody(problems) });

/** 403 for an app without the scope a call needs (here: writing property definitions). */
export function missingScopes(scope: string): SandboxAnswer {
  return hubspotError(
    403,
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    'MISSING_SCOPES',
    {
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [scope] } }],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
}
