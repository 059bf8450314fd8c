import type { Logger } from '@msched/logging';
import { Backoff, type BackoffPolicy } from '@msched/retry';
import type { ReadinessCheck } from './health-server';

/** Between tries of a server that does not answer at start-up: soon at first, then every 10 s. */
export const STARTUP_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 10_000, multiplier: 2, jitter: 0.2 };

export class StartupAborted extends Error {
  constructor(dependency: string) {
    super(`start-up stopped while waiting for ${dependency}`);
    this.name = 'StartupAborted';
  }
}

interface Waiting {
  readonly dependency: string;
  readonly since: number;
  /** Tries that failed so far. */
  failures: number;
  lastError?: string;
}

/**
 * A service's start-up against its servers (PostgreSQL, Kafka, ZooKeeper, RabbitMQ): each is tried
 * until it answers, with backoff, as the service does once running, so a server that is down when
 * the service starts delays it instead of killing it. /readyz says what it waits for meanwhile.
 */
export class Startup {
  private waiting?: Waiting;
  private ready = false;
  private aborted = false;
  private readonly wakers = new Set<() => void>();

  constructor(private readonly logger: Logger, private readonly backoff: BackoffPolicy = STARTUP_BACKOFF) {}

  /** Runs `connect` until it succeeds; each failure is logged (warn) and tried again after a backoff. */
  async waitFor<T>(dependency: string, connect: () => Promise<T>): Promise<T> {
    const backoff = new Backoff(this.backoff);
    const w: Waiting = { dependency, since: Date.now(), failures: 0 };
    this.waiting = w;
    for (;;) {
      if (this.aborted) throw new StartupAborted(dependency);
      try {
        const v = await connect();
        if (w.failures > 0) this.logger.info(`${dependency} answers after ${w.failures + 1} tries (${Math.round((Date.now() - w.since) / 1000)} s)`);
        if (this.waiting === w) this.waiting = undefined;
        return v;
      } catch (e) {
        if (this.aborted) throw new StartupAborted(dependency);
        w.failures++;
        w.lastError = (e as Error)?.message ?? String(e);
        const delay = backoff.next();
        this.logger.warn(`waiting for ${dependency} at start-up (try ${w.failures} failed, again in ${delay} ms): ${w.lastError}`);
        await new Promise<void>((resolve) => {
          const wake = () => { clearTimeout(timer); this.wakers.delete(wake); resolve(); };
          const timer = setTimeout(wake, delay);
          this.wakers.add(wake);
        });
      }
    }
  }

  /** Every server answered: the service is started. */
  done(): void {
    this.ready = true;
    this.waiting = undefined;
  }

  /** Stops waiting (the service is being stopped): the pending waitFor rejects with StartupAborted. */
  abort(): void {
    this.aborted = true;
    for (const wake of [...this.wakers]) wake();
  }

  get isDone(): boolean {
    return this.ready;
  }

  /** What start-up waits for now, in words; undefined once started (or before the first try). */
  describe(): string | undefined {
    if (this.ready) return undefined;
    const w = this.waiting;
    if (!w) return 'starting';
    const secs = Math.round((Date.now() - w.since) / 1000);
    if (w.failures === 0) return `waiting for ${w.dependency} (first try)`;
    return `waiting for ${w.dependency} (${w.failures} failed tr${w.failures === 1 ? 'y' : 'ies'} in ${secs} s; last error: ${w.lastError})`;
  }

  /** The readiness check of start-up: failing, with what it waits for, until every server answered. */
  readiness(): ReadinessCheck {
    return { name: 'startup', check: async () => this.ready, detail: () => this.describe() };
  }
}
