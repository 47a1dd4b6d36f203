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
    policyName === 'TEN_SECONDLY_ROLLING' ? 'You have reached your ten_secondly_rolling limit.'
    : policyName === 'DAILY' ? 'You have reached your daily limit.'
    : 'You have reached your secondly limit.';
  // Search's per-second 429 is told apart by its message alone (the SDK checks exactly that).
  const policy = policyName === 'SECONDLY' ? {} : { policyName };
  return { status: 429, body: { status: 'error', message, errorType: 'RATE_LIMIT', correlationId: randomUUID(), ...policy } };
}

export const unavailable = (): SandboxAnswer => hubspotError(503, 'Service Unavailable: the sandbox was told to fail this request.', 'SERVICE_UNAVAILABLE');
export const notFound = (path: string): SandboxAnswer => hubspotError(404, `No route for ${path} in the HubSpot sandbox.`, 'OBJECT_NOT_FOUND');
export const badRequest = (message: string): SandboxAnswer => hubspotError(400, message, 'VALIDATION_ERROR');
