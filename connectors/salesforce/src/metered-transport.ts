import { Transport } from 'jsforce/lib/transport';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce/lib/types';
import type { StreamPromise } from 'jsforce/lib/util/promise';
import type { VendorHttp } from '@connectors/core/src';

/**
 * jsforce's transport with every HTTP request counted on the door's meter (token calls and the
 * request jsforce replays after a session refresh included), each response's usage header noted,
 * and its status reported, because jsforce's HttpApiError does not carry the status.
 */
export class MeteredTransport extends Transport {
  constructor(
    private readonly http: Pick<VendorHttp, 'countRequest' | 'noteHeaders'>,
    private readonly onResponse?: (response: HttpResponse) => void,
  ) {
    super();
  }

  override httpRequest(req: HttpRequest, options?: HttpRequestOptions): StreamPromise<HttpResponse> {
    this.http.countRequest();
    const pending = super.httpRequest(req, options);
    pending.then(
      (response) => {
        this.http.noteHeaders(response.headers);
        this.onResponse?.(response);
      },
      () => undefined,
    );
    return pending;
  }
}

/**
 * jsforce's fetch layer silently retries GETs on 429/5xx and network errors with its own
 * sleeps; those retries would be invisible to our meter and our backoff, so we switch them off
 * and let core withRetry decide.
 */
export const NO_TRANSPORT_RETRY: HttpRequestOptions = { retry: { maxRetries: 0, methods: [] } };
