import { CallMeter } from './call-meter';
import { ApiUsage } from './crm-connector';
import { withDeadline } from './deadline';
import { RateBudget, RateLimiter, SharedRateBudget } from './rate-limiter';
import { failureOf, HttpFailure, Sleep, withRetry } from './retry-policy';
import { VendorError } from './vendor-error';
import { mayHaveBeenApplied, OUTCOME_UNKNOWN, UncertainWrite, UsageHeaders, VendorFailure, vendorErrorOf, VendorHttpFacts } from './vendor-failure';

/** Reads what an SDK's error says; undefined when it is no vendor failure (a bug), which is rethrown as it is. */
export type FailureReader = (error: unknown) => VendorFailure | undefined;

type Headers = Record<string, string | string[] | undefined>;

/** One of a vendor's rate limits: its name in the shared store ("burst", "exports") and its budget. */
interface RateLimitSpec {
  name: string;
  budget: RateBudget;
}

export interface VendorHttpOptions {
  /** The vendor's descriptor: kind, label, request timeout, retry facts, error kinds, usage headers. */
  facts: VendorHttpFacts;
  readFailure: FailureReader;
  sleep?: Sleep;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** The connection's bound on one request (tests shorten it); default the descriptor's. */
  requestTimeoutMs?: number;
  rateBudget?: SharedRateBudget;
  /** The limit every call counts in, and narrower ones some lanes count in too (search, exports). */
  limits?: { general: RateLimitSpec; narrower?: Record<string, RateLimitSpec> };
  /**
   * The SDK sends requests of its own inside one call (one SDK replays a call after renewing the
   * session; another's transport is ours): its transport counts each (countRequest), the door not.
   */
  countsAtTransport?: boolean;
}

export interface AttemptOptions {
  /** Which narrower limit the call counts in too; none: the general one only. */
  lane?: string;
  /**
   * A write that must not run twice (a create): a failure after which it may have been applied
   * is thrown as UncertainWrite, which is never retried. Refusals answered before anything was
   * written (429, a connection never made) are retried as usual.
   */
  create?: boolean;
  /** This call's reader, where the SDK error needs what only the call saw (the status its transport got). */
  readFailure?: FailureReader;
  /** A token request: an answer refusing it means the credentials need an admin ('auth'). */
  signingIn?: boolean;
}

export interface GuardedWrite<T> {
  /** What is written, for messages ("create of <vendor> ticket …"). */
  what: string;
  /** One attempt (VendorHttp.once): the retries are guardedWrite's. */
  send: () => Promise<T>;
  /** Asked before sending again after an attempt that may have been applied: what that attempt made, if it did. */
  landed?: () => Promise<T | undefined>;
  signal?: AbortSignal;
}

/** withRetry's view of a failure: a write that may have been applied is never retried blindly. */
const retryable = (error: unknown): HttpFailure | undefined => (error instanceof UncertainWrite ? undefined : failureOf(error));

function lowerCased(headers: Headers): Headers {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The usage a response reports in the vendor's usage headers; undefined when it reports none. */
export function usageFrom(headers: Headers | undefined, spec: UsageHeaders | undefined): ApiUsage | undefined {
  if (!headers || !spec) return undefined;
  const named = lowerCased(headers);
  if ('remaining' in spec) {
    const said = first(named[spec.limit]);
    const limit = Number(said);
    const remaining = Number(first(named[spec.remaining]));
    if (said === undefined || !Number.isFinite(limit) || !Number.isFinite(remaining)) return undefined;
    return { used: Math.max(0, limit - remaining), limit };
  }
  const match = spec.usedOfLimit.exec(first(named[spec.header]) ?? '');
  return match ? { used: parseInt(match[1], 10), limit: parseInt(match[2], 10) } : undefined;
}

/**
 * The one door to a vendor's HTTP API for a connection. Every call goes through it: spaced by the
 * vendor's rate limits (shared by every worker), counted on the call meter, bounded by the request
 * deadline, its failure read into a VendorError by the one status → kind mapping, its usage headers
 * noted, retried by core's policy, and a write that may have been applied never resent blindly.
 * The vendor supplies data (its descriptor) and a reader of its SDK's error shape.
 */
export class VendorHttp {
  private readonly meter = new CallMeter();
  private readonly general: RateLimiter | undefined;
  private readonly narrower = new Map<string, RateLimiter>();
  private usage: ApiUsage | undefined;

  constructor(private readonly options: VendorHttpOptions) {
    const { limits, rateBudget: shared, facts } = options;
    const limiter = (spec: RateLimitSpec) => new RateLimiter(spec.budget, { vendor: facts.kind, name: spec.name, shared });
    this.general = limits && limiter(limits.general);
    for (const [lane, spec] of Object.entries(limits?.narrower ?? {})) this.narrower.set(lane, limiter(spec));
  }

  get facts(): VendorHttpFacts {
    return this.options.facts;
  }

  apiCalls(): number {
    return this.meter.calls;
  }

  apiUsage(): ApiUsage | undefined {
    return this.usage ? { ...this.usage } : undefined;
  }

  /** One HTTP request sent, for SDKs whose transport counts (countsAtTransport). */
  countRequest(): void {
    this.meter.add();
  }

  /** Notes the usage an answer reports in the vendor's usage headers (any answer, failures too). */
  noteHeaders(headers: Headers | undefined): void {
    this.usage = usageFrom(headers, this.options.facts.usageHeaders) ?? this.usage;
  }

  /** A failure the vendor's code read itself (a transport that sees the raw answer) as a VendorError. */
  vendorError(failure: VendorFailure, signingIn = false): VendorError {
    this.noteHeaders(failure.headers);
    return vendorErrorOf(this.options.facts, failure, signingIn);
  }

  /** An SDK error as a VendorError (those pass as they are); an error the reader does not know is returned unchanged. */
  toVendorError(error: unknown, readFailure: FailureReader = this.options.readFailure, signingIn = false): unknown {
    if (error instanceof VendorError) return error;
    const failure = readFailure(error);
    return failure ? this.vendorError(failure, signingIn) : error;
  }

  /** The UncertainWrite for a write that failed after it may have been applied. */
  uncertain(error: unknown): UncertainWrite {
    if (error instanceof UncertainWrite) return error;
    const { kind, label } = this.options.facts;
    const said = error instanceof Error ? error.message : String(error);
    return new UncertainWrite(kind, `${label} gave no usable answer to a write it may have applied: ${said}`, error);
  }

  /** One attempt, no retry: a slot of the rate budget, counted, bounded by the deadline, its failure read. */
  async once<T>(send: () => Promise<T>, options: AttemptOptions = {}): Promise<T> {
    const { kind, label, requestTimeoutMs } = this.options.facts;
    const timeout = this.options.requestTimeoutMs ?? requestTimeoutMs;
    const request = () => {
      if (!this.options.countsAtTransport) this.meter.add();
      return withDeadline(send(), timeout, kind, label);
    };
    try {
      return await this.scheduled(options.lane, request);
    } catch (caught) {
      const error = this.toVendorError(caught, options.readFailure, options.signingIn);
      throw options.create && mayHaveBeenApplied(error) ? this.uncertain(error) : error;
    }
  }

  /** Attempts (each through `once`, or a vendor's own attempt around it) per core's retry policy and the vendor's retry facts. */
  retrying<T>(attempt: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const { kind, retry } = this.options.facts;
    return withRetry(attempt, retryable, {
      facts: retry,
      sleep: this.options.sleep,
      signal,
      onRetry: (decision, error) => this.options.log?.(`${kind}: retrying`, { reason: decision.reason, waitMs: decision.waitMs, message: (error as Error).message }),
    });
  }

  /** One call: `once`, retried. */
  call<T>(send: () => Promise<T>, options: AttemptOptions & { signal?: AbortSignal } = {}): Promise<T> {
    return this.retrying(() => this.once(send, options), options.signal);
  }

  /**
   * A write resent only after checking: retried per the policy, but after a failure that may have
   * been applied each resend is preceded by `landed()`, and what it finds is the result (an
   * idempotency key the vendor honours covers a write without one). When the retries run out
   * after such a failure, the error says so: UncertainWrite with code OUTCOME_UNKNOWN.
   */
  async guardedWrite<T>(write: GuardedWrite<T>): Promise<T> {
    let uncertain = false;
    const attempt = async (): Promise<T> => {
      if (uncertain && write.landed) {
        const made = await write.landed();
        if (made !== undefined) return made;
      }
      try {
        return await write.send();
      } catch (error) {
        if (mayHaveBeenApplied(error)) uncertain = true;
        throw error;
      }
    };
    try {
      return await this.retrying(attempt, write.signal);
    } catch (error) {
      if (!uncertain || !(error instanceof VendorError) || !error.retryable) throw error;
      const { kind, label } = this.options.facts;
      const message = `${write.what}: ${label} may have done it, but no attempt got an answer saying so (last: ${error.message})`;
      throw new UncertainWrite(kind, message, error, OUTCOME_UNKNOWN);
    }
  }

  private scheduled<T>(lane: string | undefined, request: () => Promise<T>): Promise<T> {
    if (!this.general) return request();
    const narrower = lane === undefined ? undefined : this.narrower.get(lane);
    // A call counting in a narrower limit too takes both slots together, just before it is sent.
    return narrower ? this.general.scheduleWith(narrower, request) : this.general.schedule(request);
  }
}
