/** An HTTP answer the router sends as JSON (status 0: close the connection without answering). */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Zendesk's classic validation error: 422 RecordInvalid with the field's sentence in details. */
export function recordInvalid(field: string, description: string, error = 'InvalidValue'): Answer {
  return { status: 422, body: { error: 'RecordInvalid', description: 'Record validation errors', details: { [field]: [{ description, error }] } } };
}

export const NOT_FOUND: Answer = { status: 404, body: { error: 'RecordNotFound', description: 'Not found' } };

export const badRequest = (description: string): Answer => ({ status: 400, body: { error: 'InvalidValue', description } });
