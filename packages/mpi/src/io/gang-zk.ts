import type { Logger } from '@msched/logging';
import { RenewingSession, Zk, ZkError } from '@msched/zk';

/**
 * ZooKeeper as a gang task uses it: a rendezvous and a fast liveness signal, never the job's fate.
 * The fate is one through Mesos (the dispatcher kills the whole gang when any of its tasks fails or
 * is lost), so a ZooKeeper outage must not end healthy MPI processes nor turn a finished run into a
 * failure (a chaos run: a 6 s kill -9 of ZooKeeper failed gangs whose program had already finished).
 * Hence:
 * - a lost session is replaced by a new one (onNewSession lets the owner re-create its ephemeral
 *   member node), instead of ending the task;
 * - every read or write the task needs goes through call(), which retries through lost connections,
 *   unanswered requests and a session being replaced, with backoff, for `retryMs`; only then does it
 *   fail, with ZkUnavailable, so the verdict says "infrastructure, retry" and not "bug".
 */
export interface GangZkOptions {
  readonly connect: readonly string[];
  readonly sessionTimeoutMs: number;
  /** How long one operation keeps trying through an outage before it fails (MSCHED_GANG_ZK_RETRY_MS). */
  readonly retryMs: number;
  readonly logger?: Logger;
}

/** ZooKeeper stayed unreachable for the whole retry bound: an infrastructure failure, retriable. */
export class ZkUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZkUnavailable';
  }
}

// Not unref'd: a short-lived program (the rank helper recording an exit) must stay alive while it waits.
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A failure that says nothing about the request itself: the same request may succeed later. */
export function isTransient(e: unknown, zk: Zk): boolean {
  return zk.isExpired || (e instanceof ZkError && e.isConnectionProblem);
}

export class GangZk {
  private constructor(private readonly o: GangZkOptions, private readonly session: RenewingSession) {}

  static async open(o: GangZkOptions, connectTimeoutMs: number): Promise<GangZk> {
    // Later sessions (after an expiry) wait for a connection about one session timeout each.
    const opts = { sessionTimeoutMs: o.sessionTimeoutMs, connectTimeoutMs: Math.max(2000, o.sessionTimeoutMs), logger: o.logger };
    return new GangZk(o, await RenewingSession.open(o.connect, opts, 'this gang task', connectTimeoutMs));
  }

  /**
   * Opens the first session like open(), but keeps trying for `retryMs` (a rank wrapper recording
   * its exit while ZooKeeper is away must not lose the record).
   */
  static async openPatiently(o: GangZkOptions): Promise<GangZk> {
    const deadline = Date.now() + o.retryMs;
    for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
      try {
        return await GangZk.open(o, Math.max(2000, Math.min(o.sessionTimeoutMs, deadline - Date.now())));
      } catch (e) {
        if (Date.now() + delay >= deadline) throw new ZkUnavailable(`ZooKeeper unreachable for ${o.retryMs} ms: ${(e as Error).message}`);
        await sleep(delay);
      }
    }
  }

  /** The session in use now; after an expiry, the next one once it is open. */
  get zk(): Zk {
    return this.session.zk;
  }

  get sessionTimeoutMs(): number {
    return this.o.sessionTimeoutMs;
  }

  /** Called with each new session that replaced a lost one: re-create ephemeral nodes, re-arm watches. */
  onNewSession(handler: (zk: Zk) => void | Promise<void>): () => void {
    return this.session.onNewSession(handler);
  }

  /**
   * Runs `op` on the live session, retrying it through connection problems for the retry bound
   * (or `retryMs`). `op` must be safe to repeat: a request whose answer was lost may have happened.
   */
  async call<T>(what: string, op: (zk: Zk) => Promise<T>, retryMs = this.o.retryMs): Promise<T> {
    const deadline = Date.now() + retryMs;
    let last: unknown;
    for (let delay = 200; ; delay = Math.min(delay * 2, 2000)) {
      if (this.session.isClosed) throw new ZkUnavailable(`cannot ${what}: the ZooKeeper client is closed`);
      const zk = this.session.zk;
      if (!zk.isExpired) {
        try {
          return await op(zk);
        } catch (e) {
          if (!isTransient(e, zk)) throw e;
          last = e;
        }
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new ZkUnavailable(`ZooKeeper unreachable for ${retryMs} ms while trying to ${what}: ${last ? (last as Error).message : 'no live session'}`);
      }
      await sleep(Math.min(delay, left));
    }
  }

  close(): void {
    this.session.close();
  }
}
