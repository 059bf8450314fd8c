import { Client } from 'pg';
import type { Db } from '@msched/db';
import type { Logger } from '@msched/logging';

/** The channel the leading dispatcher LISTENs on: new gangs or cancel requests were committed. */
export const DISPATCHER_CHANNEL = 'msched_dispatcher';

/** Wakes the leading dispatcher (in whichever process it runs) after a commit. */
export async function notifyDispatchers(db: Db): Promise<void> {
  await db.query('SELECT pg_notify($1, \'\')', [DISPATCHER_CHANNEL]);
}

/**
 * Keeps a LISTEN connection on the dispatcher channel and calls `onWake` for each notification and
 * after each (re)connection (rows may have been committed while nobody listened). If the
 * connection drops it reconnects; meanwhile the leader's polling still finds the work.
 */
export class WakeListener {
  private client?: Client;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private failures = 0;

  constructor(private readonly url: string, private readonly onWake: () => void, private readonly logger: Logger) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const c = new Client({ connectionString: this.url, application_name: 'msched-dispatcher-listener' });
    c.on('notification', () => this.onWake());
    c.on('error', (e) => this.lost(c, e));
    c.on('end', () => this.lost(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${DISPATCHER_CHANNEL}`);
      if (this.stopped) {
        await c.end().catch(() => undefined);
        return;
      }
      this.client = c;
      this.failures = 0;
      this.onWake();
    } catch (e) {
      await c.end().catch(() => undefined);
      this.lost(c, e as Error);
    }
  }

  private lost(c: Client, e?: Error): void {
    if (this.stopped || this.timer || (this.client && this.client !== c)) return;
    this.client = undefined;
    const delay = Math.min(10_000, 250 * 2 ** this.failures++);
    this.logger.warn(`dispatcher LISTEN connection lost${e ? `: ${e.message}` : ''}; reconnecting in ${delay} ms (polling continues)`);
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
