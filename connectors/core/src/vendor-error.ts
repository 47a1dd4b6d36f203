/**
 * The one error type connectors throw for vendor failures, with the vendor's own code and
 * message kept. `kind` tells the job what to do: retry later, or stop and tell a person.
 */
export type VendorErrorKind =
  | 'auth' // credentials refused: do not retry until an admin fixes them
  | 'rate_limited' // 429 / REQUEST_LIMIT_EXCEEDED: retry after the wait
  | 'unavailable' // 5xx, network: retry with backoff
  | 'invalid' // 4xx for our request: a bug or a mapping problem; do not retry
  | 'not_found';

export class VendorError extends Error {
  constructor(
    readonly vendor: string,
    readonly kind: VendorErrorKind,
    message: string,
    readonly details: {
      status?: number;
      /** The vendor's error code (INVALID_SESSION_ID, TEN_SECONDLY_ROLLING, …). */
      code?: string;
      /** How long the vendor asked us to wait, when it said. */
      retryAfterMs?: number;
    } = {},
  ) {
    super(message);
    this.name = 'VendorError';
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'unavailable';
  }
}
