import { Client } from 'pg';
import { OUTBOX_CHANNEL } from '@msched/db';
import type { Logger } from '@msched/logging';
import { backoffDelay } from './backoff';


/**
 * Keeps a LISTEN connection open and calls `onNotify` for every notification. If the connection
 * drops it reconnects with backoff; meanwhile the relay's polling still finds the rows.
 */
export class OutboxListener {
  private client?: Client;
  private stopped = false;
  private failures = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly url: string, private readonly onNotify: () => void, private readonly logger: Logger) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const c = new Client({ connectionString: this.url, application_name: 'msched-outbox-listener' });
    c.on('notification', () => this.onNotify());
    c.on('error', (e) => this.lost(c, e));
    c.on('end', () => this.lost(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.client = c;
      this.failures = 0;
      // Rows committed while we were not listening: have the relay look now.
      this.onNotify();
    } catch (e) {
      await c.end().catch(() => undefined);
      this.lost(c, e as Error);
    }
  }

  private lost(c: Client, e?: Error): void {
    if (this.stopped || this.timer) return;
    if (this.client && this.client !== c) return;
    this.client = undefined;
    this.failures++;
    const delay = backoffDelay(this.failures, { initialMs: 500, maxMs: 10000, jitter: 0.2 });
    this.logger.warn(`outbox LISTEN connection lost${e ? `: ${e.message}` : ''}; reconnecting in ${delay} ms (polling continues)`);
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
