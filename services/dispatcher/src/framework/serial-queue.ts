import type { Logger } from '@msched/logging';

/**
 * Runs the leader's work one item at a time, in arrival order: task updates must be written in the
 * order Mesos sent them, and every policy decision must see the state the previous one left. An
 * item that fails is logged and the queue goes on.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private closed = false;
  private depth = 0;

  constructor(private readonly logger: Logger) {}

  run(label: string, fn: () => Promise<unknown> | unknown): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.depth++;
    const next = this.tail.then(async () => {
      try {
        if (!this.closed) await fn();
      } catch (e) {
        this.logger.error(`${label} failed: ${(e as Error)?.stack ?? String(e)}`);
      } finally {
        this.depth--;
      }
    });
    this.tail = next;
    return next;
  }

  /** Like run(), but the caller gets the result or the error (the queue goes on either way). */
  call<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the queue is closed'));
    this.depth++;
    const result = this.tail.then(fn);
    this.tail = result.then(() => undefined, () => undefined).finally(() => { this.depth--; });
    return result;
  }

  /** Items queued or running. */
  get pending(): number {
    return this.depth;
  }

  /** Refuses new items and waits for the one running (queued ones are dropped). */
  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
  }
}
