/** setTimeout's longest delay (about 24.8 days); longer deadlines are reached in steps. */
const MAX_DELAY_MS = 2_147_483_647;

/** One timer per key firing at an absolute time (wall-time limits of running gangs). */
export class DeadlineTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  at(key: string, deadlineMs: number, fire: () => void): void {
    this.cancel(key);
    const delay = Math.max(0, deadlineMs - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (delay > MAX_DELAY_MS) this.at(key, deadlineMs, fire);
      else fire();
    }, Math.min(delay, MAX_DELAY_MS));
    timer.unref();
    this.timers.set(key, timer);
  }

  cancel(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
  }

  clear(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  get size(): number {
    return this.timers.size;
  }
}
