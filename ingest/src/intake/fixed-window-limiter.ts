interface Window {
  used: number;
  resetsAt: number;
}

/**
 * In-process fixed-window counters (what rate-limiter-flexible's memory limiter does, without its
 * timer per key and promise per call: these run for every event). A key's window starts at its
 * first hit and lasts `windowMs`; expired keys are swept once per window, so memory stays bounded
 * by the keys seen in about two windows.
 */
export class FixedWindowLimiter {
  private windows = new Map<string, Window>();
  private nextSweep = 0;

  constructor(
    private readonly points: number,
    private readonly windowMs: number,
  ) {}

  /** Counts `points` hits for `key`; returns 0 when within the limit, else the ms until the window ends. */
  hit(key: string, points = 1, now = Date.now()): number {
    if (now >= this.nextSweep) this.sweep(now);
    let window = this.windows.get(key);
    if (window === undefined || window.resetsAt <= now) {
      window = { used: 0, resetsAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.used += points;
    return window.used > this.points ? window.resetsAt - now : 0;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetsAt <= now) this.windows.delete(key);
    this.nextSweep = now + this.windowMs;
  }
}
