import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { VendorError } from './vendor-error';

export interface RateBudget {
  /** Requests the vendor allows per window… */
  requests: number;
  /** …of this many ms, rolling (counted when requests reach the vendor). */
  perMs: number;
  /**
   * How much later than its grant a request may reach the vendor, beyond the quickest one
   * (database round trip, event loop, network): the slots are widened by it so a late request
   * cannot crowd a rolling window. Default DEFAULT_ARRIVAL_SLACK_MS.
   */
  arrivalSlackMs?: number;
}

/** Our own margin: loopback and a busy worker stay well inside it; the budget gives up 2.5 % for it. */
const DEFAULT_ARRIVAL_SLACK_MS = 250;
/** A shared count that takes longer than this to answer counts as unreachable: we fail closed. */
export const BUDGET_STORE_TIMEOUT_MS = 5_000;

/** One named counter of fixed windows: at most `points` grants per window of `durationMs`. */
export interface RateWindow {
  key: string;
  points: number;
  durationMs: number;
}

export interface RateWindowAnswer {
  granted: boolean;
  /** Until the window that answered ends: when a refused caller may try again. */
  msBeforeNext: number;
}

/**
 * Where the windows are counted. In production every process counts in Postgres (the app
 * layer passes RateWindows over rate-limiter-flexible's RateLimiterPostgres), so any number of
 * workers share one budget. Rejects when it cannot count; the limiter then fails closed.
 */
export interface RateWindowStore {
  take(window: RateWindow): Promise<RateWindowAnswer>;
}

/** A connection's share of the store: its limiters count under `${vendor}:${connectionKey}:${name}`. */
export interface SharedRateBudget {
  store: RateWindowStore;
  connectionKey: string;
}

/** Builds the library's counter for one window shape (points per duration). */
export type WindowCounterFactory = (points: number, durationMs: number) => RateLimiterAbstract;

/** A RateWindowStore over rate-limiter-flexible counters: one counter per window shape. */
export class RateWindows implements RateWindowStore {
  private readonly counters = new Map<string, RateLimiterAbstract>();

  constructor(private readonly counterFor: WindowCounterFactory) {}

  async take(window: RateWindow): Promise<RateWindowAnswer> {
    const shape = `${window.points}/${window.durationMs}`;
    let counter = this.counters.get(shape);
    if (!counter) this.counters.set(shape, (counter = this.counterFor(window.points, window.durationMs)));
    try {
      const res = await counter.consume(window.key);
      return { granted: true, msBeforeNext: res.msBeforeNext };
    } catch (outcome) {
      // The library rejects with a RateLimiterRes when the window is full, with an Error when it cannot count.
      if (outcome instanceof RateLimiterRes) return { granted: false, msBeforeNext: outcome.msBeforeNext };
      throw outcome;
    }
  }
}

/** This process's own windows: for a connector built without a shared budget (tests, one-off tools). */
function processRateWindows(): RateWindows {
  return new RateWindows((points, durationMs) => new RateLimiterMemory({ points, duration: durationMs / 1000 }));
}

/**
 * The slot one request occupies: window W (perMs) widened by the arrival slack J, cut into
 * `requests` slots of L = (W + J) / requests, one grant each.
 *
 * Why that keeps every rolling window within the budget, across any number of processes:
 * rate-limiter-flexible's window for a key opens at the first consume after the last one
 * expired (its `now` is the window's start s) and the one grant of a slot is that opening
 * consume, so grants start at least L apart: s(i+1) ≥ s(i) + L. A grant reaches the vendor
 * between s + d_min and s + d_max, with d_max − d_min ≤ J. A rolling window (t, t + W] of
 * arrivals therefore holds grants whose starts lie in (t − d_max, t + W − d_min], an interval
 * of length at most W + J = requests × L; points at least L apart fit in it at most
 * ⌈(W + J) / L⌉ = requests times. Refused consumes change nothing (they only count above the
 * one point), and a process that dies holds nothing: its slot expires by itself after L.
 * (A fixed window of the whole budget per W would not do: two of them back to back let 2 × B
 * through in one rolling W; B/2 per W/2 would let 3 × B/2 through.)
 * The cost is J / (W + J) of the budget (2.4 % of a 190-per-10-s budget with the default slack).
 */
export function slotOf(budget: RateBudget): { points: number; durationMs: number } {
  const slack = budget.arrivalSlackMs ?? DEFAULT_ARRIVAL_SLACK_MS;
  // Whole ms, rounded up (a longer slot only lowers the rate), and one the library's seconds
  // (durationMs / 1000 × 1000) give back exactly: its expiry goes into a bigint column.
  let durationMs = Math.ceil((budget.perMs + slack) / budget.requests);
  while ((durationMs / 1000) * 1000 !== durationMs) durationMs++;
  return { points: 1, durationMs };
}

export interface RateLimiterOptions {
  /** Whose budget it is, for errors and keys (e.g. "acme-crm"). */
  vendor: string;
  /** Which of the vendor's limits ("burst", "search", "general", "exports"). */
  name: string;
  /** The connection's share of the shared store; without it this limiter counts on its own. */
  shared?: SharedRateBudget;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Spaces one vendor limit's requests so no rolling window ever holds more than the budget,
 * counted in the shared store (see slotOf for the arithmetic). Inside a process the callers
 * take turns, so one process asks the store once per slot at most; the processes race for
 * each slot and the store lets exactly one through.
 */
export class RateLimiter {
  private readonly window: RateWindow;
  private readonly store: RateWindowStore;
  private turn: Promise<unknown> = Promise.resolve();
  /** Before this (epoch ms) the slot this process last saw is still taken: asking would be refused. */
  private notBefore = 0;

  constructor(
    readonly budget: RateBudget,
    private readonly options: RateLimiterOptions,
  ) {
    const { shared } = options;
    this.window = { key: shared ? `${options.vendor}:${shared.connectionKey}:${options.name}` : options.name, ...slotOf(budget) };
    this.store = shared?.store ?? processRateWindows();
  }

  async schedule<T>(call: () => Promise<T>): Promise<T> {
    await this.takeInTurn();
    return call();
  }

  /**
   * A call that counts against this limit and a narrower one too (a CRM's search, a helpdesk's
   * export): this limit's slot first, then one ask for the other's, and the call goes out at
   * once, so neither grant waits on the other and both keep their arrival slack. When the other
   * is taken, this slot is left unused (it expires by itself) and both are asked again once the
   * other's slot has ended: a slot wasted now and then, never a request over either limit.
   */
  async scheduleWith<T>(narrower: RateLimiter, call: () => Promise<T>): Promise<T> {
    for (;;) {
      await this.takeInTurn();
      if (await narrower.tryOnce()) return call();
      await narrower.untilFree();
    }
  }

  private takeInTurn(): Promise<void> {
    const granted = this.turn.then(() => this.take());
    this.turn = granted.catch(() => undefined);
    return granted;
  }

  /** One ask, no waiting: whether this call got a slot. */
  private async tryOnce(): Promise<boolean> {
    if (this.notBefore > Date.now()) return false;
    const answer = await this.ask();
    this.notBefore = Date.now() + answer.msBeforeNext;
    return answer.granted;
  }

  private async untilFree(): Promise<void> {
    const wait = this.notBefore - Date.now();
    if (wait > 0) await pause(wait);
  }

  private async take(): Promise<void> {
    for (;;) {
      const wait = this.notBefore - Date.now();
      if (wait > 0) await pause(wait);
      const answer = await this.ask();
      this.notBefore = Date.now() + answer.msBeforeNext;
      if (answer.granted) return;
    }
  }

  /**
   * Fails closed: without the shared count we cannot know what the other workers spent, so the
   * call is not made and the job retries later (a retryable "unavailable"), rather than spending
   * calls nobody counted.
   */
  private async ask(): Promise<RateWindowAnswer> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${BUDGET_STORE_TIMEOUT_MS} ms`)), BUDGET_STORE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.store.take(this.window), timeout]);
    } catch (error) {
      throw new VendorError(this.options.vendor, 'unavailable', `the shared rate budget (${this.options.name}) could not be counted: ${(error as Error).message}`, {
        code: 'RATE_BUDGET_UNAVAILABLE',
      });
    } finally {
      clearTimeout(timer);
    }
  }
}
