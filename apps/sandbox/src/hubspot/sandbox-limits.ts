import { rateLimited, SandboxAnswer } from './sandbox-errors';

export interface LimitSettings {
  requestsPer10s: number;
  searchPerSecond: number;
  dailyLimit: number;
}

const TEN_SECONDS = 10_000;
const ONE_SECOND = 1_000;

/**
 * HubSpot's rate limits, per token: a rolling 10-second window (every request), a rolling
 * 1-second window for search, and a daily count for the portal. Refused requests do not count.
 */
export class SandboxLimits {
  private readonly burst = new Map<string, number[]>();
  private readonly search = new Map<string, number[]>();
  private daily = 0;

  constructor(private readonly settings: LimitSettings) {}

  /** Counts the request if allowed; otherwise the 429 HubSpot would send. */
  admit(token: string, isSearch: boolean, now = Date.now()): SandboxAnswer | undefined {
    if (this.daily >= this.settings.dailyLimit) return rateLimited('DAILY');
    const burst = recent(this.burst, token, now - TEN_SECONDS);
    if (burst.length >= this.settings.requestsPer10s) return rateLimited('TEN_SECONDLY_ROLLING');
    const search = isSearch ? recent(this.search, token, now - ONE_SECOND) : undefined;
    if (search && search.length >= this.settings.searchPerSecond) return rateLimited('SECONDLY');
    burst.push(now);
    search?.push(now);
    this.daily++;
    return undefined;
  }

  /** X-HubSpot-RateLimit-* as HubSpot sends them on every response. */
  headers(token: string, now = Date.now()): Record<string, string> {
    const burst = recent(this.burst, token, now - TEN_SECONDS).length;
    const search = recent(this.search, token, now - ONE_SECOND).length;
    return {
      'X-HubSpot-RateLimit-Daily': String(this.settings.dailyLimit),
      'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, this.settings.dailyLimit - this.daily)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(TEN_SECONDS),
      'X-HubSpot-RateLimit-Max': String(this.settings.requestsPer10s),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, this.settings.requestsPer10s - burst)),
      'X-HubSpot-RateLimit-Secondly': String(this.settings.searchPerSecond),
      'X-HubSpot-RateLimit-Secondly-Remaining': String(Math.max(0, this.settings.searchPerSecond - search)),
    };
  }
}

/** The token's timestamps inside the window (older ones dropped). */
function recent(windows: Map<string, number[]>, token: string, after: number): number[] {
  let times = windows.get(token);
  if (!times) windows.set(token, (times = []));
  let drop = 0;
  while (drop < times.length && times[drop] <= after) drop++;
  if (drop > 0) times.splice(0, drop);
  return times;
}
