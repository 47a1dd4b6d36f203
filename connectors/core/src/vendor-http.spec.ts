import { RateWindowStore } from './rate-limiter';
import { VendorError } from './vendor-error';
import { mayHaveBeenApplied, OUTCOME_UNKNOWN, UncertainWrite, VendorFailure, vendorErrorOf, VendorHttpFacts } from './vendor-failure';
import { usageFrom, VendorHttp, VendorHttpOptions } from './vendor-http';

/** What a made-up SDK throws: the failure itself, so the reader only unwraps it. */
class SdkFailure extends Error {
  constructor(readonly failure: VendorFailure) {
    super(failure.message ?? 'sdk failure');
  }
}

const FACTS: VendorHttpFacts = {
  kind: 'acme-crm',
  label: 'Acme CRM',
  requestTimeoutMs: 60_000,
  retry: { windowWaitMs: { BURST: 10_000 }, exhaustedCodes: ['DAILY'] },
  usageHeaders: { limit: 'x-acme-limit', remaining: 'x-acme-remaining' },
};

const answered = (status: number, extra: Partial<VendorFailure> = {}) => new SdkFailure({ status, message: `answer ${status}`, ...extra });
const unreachable = (code: string) => new SdkFailure({ unreachable: true, code, message: `connect ${code}` });

function door(options: Partial<VendorHttpOptions> = {}) {
  const waits: number[] = [];
  const http = new VendorHttp({
    facts: FACTS,
    readFailure: (error) => (error instanceof SdkFailure ? error.failure : undefined),
    sleep: async (ms) => void waits.push(ms),
    ...options,
  });
  return { http, waits };
}

/** A send that fails with each of `failures` in turn, then answers `result`; counts its attempts. */
function script<T>(result: T, ...failures: unknown[]) {
  const sent = { count: 0 };
  const send = async () => {
    const failure = failures[sent.count++];
    if (failure !== undefined) throw failure;
    return result;
  };
  return { send, sent };
}

describe('vendor status → error kind (one mapping for every vendor)', () => {
  it.each([
    [429, 'rate_limited'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not_found'],
    [408, 'unavailable'],
    [500, 'unavailable'],
    [503, 'unavailable'],
    [400, 'invalid'],
    [409, 'invalid'],
    [422, 'invalid'],
  ])('HTTP %p is %p, with the vendor’s words and code kept', (status, kind) => {
    const error = vendorErrorOf(FACTS, { status, code: 'SAID', message: 'in the vendor’s words' });
    expect(error).toMatchObject({ vendor: 'acme-crm', kind, message: 'in the vendor’s words', details: { status, code: 'SAID' } });
  });

  it('a connection that failed is unavailable, named after the vendor; an answer without words says its status', () => {
    expect(vendorErrorOf(FACTS, { unreachable: true, code: 'ECONNRESET', message: 'socket hang up' })).toMatchObject({
      kind: 'unavailable',
      message: 'Acme CRM unreachable: socket hang up',
      details: { code: 'ECONNRESET' },
    });
    expect(vendorErrorOf(FACTS, { status: 502 }).message).toBe('Acme CRM answered HTTP 502');
  });

  it('reads a vendor’s deviations from its descriptor: codes first, then statuses', () => {
    const facts = { ...FACTS, errorKinds: { codeKinds: { LIMIT_EXCEEDED: 'rate_limited', NOT_FOUND: 'not_found' }, statusKinds: { 403: 'invalid' } } } as const;
    expect(vendorErrorOf(facts, { status: 403, code: 'LIMIT_EXCEEDED' }).kind).toBe('rate_limited');
    expect(vendorErrorOf(facts, { status: 403, code: 'NO_ACCESS' }).kind).toBe('invalid');
    expect(vendorErrorOf(facts, { code: 'NOT_FOUND' }).kind).toBe('not_found');
    expect(vendorErrorOf(facts, { status: 401 }).kind).toBe('auth');
  });

  it('on the token endpoint, any refusal means the credentials need an admin; outages and limits stay retryable', () => {
    expect(vendorErrorOf(FACTS, { status: 400, code: 'BAD_REFRESH_TOKEN' }, true)).toMatchObject({ kind: 'auth', details: { code: 'BAD_REFRESH_TOKEN' } });
    expect(vendorErrorOf(FACTS, { status: 404 }, true).kind).toBe('auth');
    expect(vendorErrorOf(FACTS, { status: 503 }, true).kind).toBe('unavailable');
    expect(vendorErrorOf(FACTS, { status: 429 }, true).kind).toBe('rate_limited');
  });

  it('keeps the wait a retryable answer asks for, from the descriptor’s headers, and none on a refusal', () => {
    const headers = { 'retry-after': '7' };
    expect(vendorErrorOf(FACTS, { status: 429, headers }).details.retryAfterMs).toBe(7_000);
    expect(vendorErrorOf(FACTS, { status: 503, headers }).details.retryAfterMs).toBe(7_000);
    expect(vendorErrorOf(FACTS, { status: 400, headers }).details).not.toHaveProperty('retryAfterMs');
    const own = { ...FACTS, retry: { retryAfterHeaders: ['x-wait-seconds'] } };
    expect(vendorErrorOf(own, { status: 429, headers: { 'x-wait-seconds': '3', 'retry-after': '9' } }).details.retryAfterMs).toBe(3_000);
  });
});

describe('VendorHttp', () => {
  it('passes errors it does not know (a bug) through unchanged, and does not retry them', async () => {
    const { http } = door();
    const bug = new TypeError('undefined is not a function');
    await expect(http.call(script('x', bug).send)).rejects.toBe(bug);
    expect(http.apiCalls()).toBe(1);
  });

  it('retries a 429 after the Retry-After it sent, counting every attempt', async () => {
    const { http, waits } = door();
    const { send, sent } = script('ok', answered(429, { headers: { 'retry-after': '30' } }));
    await expect(http.call(send)).resolves.toBe('ok');
    expect(waits).toEqual([30_000]);
    expect([sent.count, http.apiCalls()]).toEqual([2, 2]);
  });

  it('waits at least a rolling window its limit code names, and stops at once on an exhausted budget', async () => {
    const window = door();
    await window.http.call(script('ok', answered(429, { code: 'BURST' })).send);
    expect(window.waits).toEqual([10_000]);

    const daily = door();
    await expect(daily.http.call(script('ok', answered(429, { code: 'DAILY' })).send)).rejects.toMatchObject({ kind: 'rate_limited', details: { code: 'DAILY' } });
    expect([daily.waits, daily.http.apiCalls()]).toEqual([[], 1]);
  });

  it('backs off on 5xx and network failures; refusals and auth are thrown at once', async () => {
    const { http, waits } = door();
    await expect(http.call(script('ok', answered(503), unreachable('ECONNRESET')).send)).resolves.toBe('ok');
    expect(waits).toEqual([500, 1_000]);
    for (const status of [400, 401, 403, 404, 422]) {
      const once = door();
      await expect(once.http.call(script('ok', answered(status)).send)).rejects.toBeInstanceOf(VendorError);
      expect(once.http.apiCalls()).toBe(1);
    }
  });

  it('notes usage from the descriptor’s headers, on answers and failures alike', async () => {
    const { http } = door();
    expect(http.apiUsage()).toBeUndefined();
    http.noteHeaders({ 'X-Acme-Limit': '400', 'X-Acme-Remaining': '390' });
    expect(http.apiUsage()).toEqual({ used: 10, limit: 400 });
    await http.call(script('ok', answered(503, { headers: { 'x-acme-limit': '400', 'x-acme-remaining': '350' } })).send);
    expect(http.apiUsage()).toEqual({ used: 50, limit: 400 });
    http.noteHeaders({ 'content-type': 'application/json' }); // an answer that reports nothing keeps the last
    expect(http.apiUsage()).toEqual({ used: 50, limit: 400 });
  });

  it('reads a used/limit usage header too', () => {
    const spec = { header: 'sforce-limit-info', usedOfLimit: /api-usage=(\d+)\/(\d+)/ };
    expect(usageFrom({ 'Sforce-Limit-Info': 'api-usage=101/15000' }, spec)).toEqual({ used: 101, limit: 15_000 });
    expect(usageFrom({ 'sforce-limit-info': 'per-app-api-usage=1/2' }, { ...spec, usedOfLimit: /^api-usage=(\d+)\/(\d+)/ })).toBeUndefined();
    expect(usageFrom({ 'x-acme-limit': 'many', 'x-acme-remaining': '3' }, FACTS.usageHeaders)).toBeUndefined();
  });

  it('leaves counting to the transport when the SDK sends requests of its own', async () => {
    const { http } = door({ countsAtTransport: true });
    await http.call(async () => (http.countRequest(), http.countRequest(), 'replayed after a new session'));
    expect(http.apiCalls()).toBe(2);
  });

  describe('deadline', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('ends an answer that never completes as unavailable ETIMEDOUT, at the connection’s bound', async () => {
      const { http } = door({ requestTimeoutMs: 5_000 });
      const result = http.once(() => new Promise<never>(() => undefined)).catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(5_000);
      expect(await result).toMatchObject({ kind: 'unavailable', message: 'Acme CRM gave no complete answer within 5 s', details: { code: 'ETIMEDOUT' } });
    });

    it('a create whose answer stalls is an UncertainWrite: sent once, never again', async () => {
      const { http } = door({ requestTimeoutMs: 1_000 });
      let sent = 0;
      const result = http.call(() => (sent++, new Promise<never>(() => undefined)), { create: true }).catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(1_000);
      const error = await result;
      expect(error).toBeInstanceOf(UncertainWrite);
      expect(error).toMatchObject({ kind: 'unavailable', details: { code: 'ETIMEDOUT' } });
      expect((error as Error).message).toBe('Acme CRM gave no usable answer to a write it may have applied: Acme CRM gave no complete answer within 1 s');
      expect(sent).toBe(1);
    });
  });

  describe('creates: "may have been applied"', () => {
    it.each([[500], [503], [408]])('a %p to a create may have written it: UncertainWrite, not resent', async (status) => {
      const { http, waits } = door();
      const error = await http.call(script('id-1', answered(status)).send, { create: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UncertainWrite);
      expect(error).toMatchObject({ kind: 'unavailable', details: { status, code: OUTCOME_UNKNOWN } });
      expect((error as UncertainWrite).failure).toMatchObject({ kind: 'unavailable', message: `answer ${status}` });
      expect([waits, http.apiCalls()]).toEqual([[], 1]);
    });

    it('a dropped connection may have written it; one never made did not, and is retried', async () => {
      const dropped = door();
      await expect(dropped.http.call(script('id-1', unreachable('ECONNRESET')).send, { create: true })).rejects.toMatchObject({
        name: 'UncertainWrite',
        details: { code: 'ECONNRESET' },
      });
      expect(dropped.http.apiCalls()).toBe(1);

      const refused = door();
      await expect(refused.http.call(script('id-1', unreachable('ECONNREFUSED'), answered(429)).send, { create: true })).resolves.toBe('id-1');
      expect(refused.http.apiCalls()).toBe(3);
    });

    it('answers that refused before acting (auth, invalid, limits, our budget store) were not applied', () => {
      expect(mayHaveBeenApplied(vendorErrorOf(FACTS, { status: 429 }))).toBe(false);
      expect(mayHaveBeenApplied(vendorErrorOf(FACTS, { status: 401 }))).toBe(false);
      expect(mayHaveBeenApplied(vendorErrorOf(FACTS, { status: 422 }))).toBe(false);
      expect(mayHaveBeenApplied(vendorErrorOf(FACTS, { unreachable: true, code: 'ENOTFOUND' }))).toBe(false);
      expect(mayHaveBeenApplied(new VendorError('acme-crm', 'unavailable', 'budget', { code: 'RATE_BUDGET_UNAVAILABLE' }))).toBe(false);
      expect(mayHaveBeenApplied(vendorErrorOf(FACTS, { status: 502 }))).toBe(true);
      expect(mayHaveBeenApplied(new Error('no idea what happened'))).toBe(true);
    });

    it('a shared budget that cannot be counted fails closed before sending, so the create is not uncertain', async () => {
      const down: RateWindowStore = { take: () => Promise.reject(new Error('connection refused')) };
      const { http } = door({ limits: { general: { name: 'general', budget: { requests: 10, perMs: 1_000 } } }, rateBudget: { store: down, connectionKey: 'c1' } });
      const sent = script('id-1');
      const error = await http.once(sent.send, { create: true }).catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(UncertainWrite);
      expect(error).toMatchObject({ kind: 'unavailable', details: { code: 'RATE_BUDGET_UNAVAILABLE' } });
      expect([sent.sent.count, http.apiCalls()]).toEqual([0, 0]);
    });
  });

  describe('guardedWrite', () => {
    it('after an answer that may have landed, asks what landed before sending again, and takes it', async () => {
      const { http } = door();
      const { send, sent } = script('new-id', answered(503));
      const looked: string[] = [];
      const id = await http.guardedWrite({ what: 'ticket create', send: () => http.once(send), landed: async () => (looked.push('looked'), 'landed-id') });
      expect([id, sent.count, looked]).toEqual(['landed-id', 1, ['looked']]);
    });

    it('does not look after a refusal (nothing landed), and resends', async () => {
      const { http } = door();
      const { send, sent } = script('new-id', answered(429));
      const landed = jest.fn(async () => 'landed-id');
      await expect(http.guardedWrite({ what: 'ticket create', send: () => http.once(send), landed })).resolves.toBe('new-id');
      expect(landed).not.toHaveBeenCalled();
      expect(sent.count).toBe(2);
    });

    it('retries run out after a lost answer: OUTCOME_UNKNOWN, so the caller looks before writing again', async () => {
      const { http } = door();
      const outage = Array.from({ length: 6 }, () => answered(503));
      const error = await http.guardedWrite({ what: 'ticket create', send: () => http.once(script('id', ...outage).send), landed: async () => undefined }).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'unavailable', details: { status: 503, code: OUTCOME_UNKNOWN } });
      expect((error as Error).message).toBe('ticket create: Acme CRM may have done it, but no attempt got an answer saying so (last: answer 503)');
    });
  });
});
