import { Client } from 'pg';
import type { Logger } from '@msched/logging';
import { backoffDelay } from '@msched/retry';

export interface ChannelListenerOptions {
  url: string;
  /** PostgreSQL channel to LISTEN on (a fixed identifier of ours, never user input). */
  channel: string;
  /** Called for every notification, and after every (re)connection: work may have been committed while nobody listened. */
  onNotify: () => void;
  logger: Logger;
  /** Shown in pg_stat_activity and in the log lines. */
  name: string;
}

const RECONNECT = { initialMs: 250, maxMs: 10_000, multiplier: 2, jitter: 0.2 };

/**
 * Keeps one LISTEN connection open. When it drops, reconnects with backoff; whoever relies on it
 * also polls, so a lost connection only delays work.
 */
export class ChannelListener {
  private client?: Client;
  private stopped = false;
  private failures = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly o: ChannelListenerOptions) {
    if (!/^[a-z_][a-z0-9_]*$/.test(o.channel)) throw new TypeError(`channel ${JSON.stringify(o.channel)} is not a plain identifier`);
  }

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const c = new Client({ connectionString: this.o.url, application_name: this.o.name });
    c.on('notification', () => this.o.onNotify());
    c.on('error', (e) => this.lost(c, e));
    c.on('end', () => this.lost(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${this.o.channel}`);
      if (this.stopped) {
        await c.end().catch(() => undefined);
        return;
      }
      this.client = c;
      this.failures = 0;
      this.o.onNotify();
    } catch (e) {
      await c.end().catch(() => undefined);
      this.lost(c, e as Error);
    }
  }

  private lost(c: Client, e?: Error): void {
    if (this.stopped || this.timer || (this.client && this.client !== c)) return;
    this.client = undefined;
    const delay = backoffDelay(this.failures++, RECONNECT);
    this.o.logger.warn(`${this.o.name}: LISTEN connection lost${e ? `: ${e.message}` : ''}; reconnecting in ${delay} ms (polling continues)`);
    c.end().catch(() => undefined);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }
}
