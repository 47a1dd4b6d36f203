import { Answer } from './sandbox-answers';

/**
 * Zendesk's per-minute limits as the sandbox enforces them, per token: a rolling 60-second window
 * for every request, and a second one for the incremental export (10/min by default). A request
 * over either gets 429 with Retry-After in whole seconds, until the oldest request in the window
 * leaves it. Refused requests do not count.
 */
export type LimitLane = 'general' | 'export';

export interface LimitVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  retryAfterSeconds: number;
  lane: LimitLane;
}

const WINDOW_MS = 60_000;

export class SandboxRateLimits {
  private readonly windows = new Map<string, number[]>();

  constructor(private readonly perMinute: Record<LimitLane, number>) {}

  admit(token: string, lanes: LimitLane[], now: number): LimitVerdict {
    const windows = lanes.map((lane) => ({ lane, times: this.window(`${lane}:${token}`, now) }));
    const full = windows.find((w) => w.times.length >= this.perMinute[w.lane]);
    if (full) {
      const waitMs = full.times[0] + WINDOW_MS - now;
      return { allowed: false, lane: full.lane, limit: this.perMinute[full.lane], remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    for (const w of windows) w.times.push(now);
    const general = windows.find((w) => w.lane === 'general') ?? windows[0];
    const limit = this.perMinute[general.lane];
    return { allowed: true, lane: general.lane, limit, remaining: Math.max(0, limit - general.times.length), retryAfterSeconds: 0 };
  }

  private window(key: string, now: number): number[] {
    const times = (this.windows.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    this.windows.set(key, times);
    return times;
  }
}

/** Our imitation of Zendesk's 429 bodies (Zendesk does not document their wording; connectors/zendesk/README.md "Rate limits"). */
export function rateLimited(verdict: LimitVerdict): Answer {
  const what = verdict.lane === 'export' ? 'incremental export API requests' : 'API requests';
  return { status: 429, body: { error: 'APIRateLimitExceeded', description: `Number of allowed ${what} per minute exceeded` } };
}
