/** Timer functions, injectable so the watchdog can be tested without waiting. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Declares a subscription dead when the master stays silent for `missLimit` heartbeat intervals.
 * Any event counts as a sign of life, not only HEARTBEAT: a busy stream proves the master is there.
 */
export class HeartbeatWatchdog {
  private handle: unknown;
  private limitMs = 0;

  constructor(private readonly onSilence: (silentMs: number) => void, private readonly timers: Timers = realTimers) {}

  /** Starts watching with the interval the master announced in SUBSCRIBED. */
  arm(intervalSeconds: number, missLimit: number): void {
    if (!(intervalSeconds > 0) || !(missLimit > 0)) throw new RangeError(`heartbeat interval (${intervalSeconds} s) and miss limit (${missLimit}) must be positive`);
    this.limitMs = Math.ceil(intervalSeconds * missLimit * 1000);
    this.restart();
  }

  /** Something arrived: restart the silence count. No effect while disarmed. */
  beat(): void {
    if (this.limitMs > 0) this.restart();
  }

  disarm(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
    this.limitMs = 0;
  }

  get armed(): boolean {
    return this.limitMs > 0;
  }

  private restart(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    const limit = this.limitMs;
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      this.limitMs = 0;
      this.onSilence(limit);
    }, limit);
  }
}
