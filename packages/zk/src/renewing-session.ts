import { Zk, type ZkOptions } from './client';

// Not unref'd: a short-lived program waiting for a new session must stay alive while it waits.
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A ZooKeeper session that is replaced when it expires. An expired node-zookeeper-client never
 * sends again and its watches are dead, so whatever must outlive a ZooKeeper outage longer than the
 * session timeout (a gang task's membership, an agent following the leading master) needs a new
 * session, retried with backoff until one opens or the owner closes it, and a chance to re-create
 * its ephemeral nodes and re-arm its watches on it (`onNewSession`).
 */
export class RenewingSession {
  private current!: Zk;
  private renewing = false;
  private closed = false;
  private readonly handlers = new Set<(zk: Zk) => void | Promise<void>>();

  private constructor(
    private readonly servers: readonly string[],
    private readonly opts: ZkOptions & { maxRetryDelayMs?: number },
    /** Who holds the session, for the log lines ("the master detector"). */
    private readonly holder: string,
    zk: Zk,
  ) {
    this.adopt(zk);
  }

  /**
   * Opens the first session (failing as Zk.connect does, within `firstConnectTimeoutMs` when given,
   * else `opts.connectTimeoutMs`); later ones are opened on expiry with `opts`.
   */
  static async open(servers: readonly string[], opts: ZkOptions & { maxRetryDelayMs?: number }, holder: string, firstConnectTimeoutMs?: number): Promise<RenewingSession> {
    const first = firstConnectTimeoutMs === undefined ? opts : { ...opts, connectTimeoutMs: firstConnectTimeoutMs };
    return new RenewingSession(servers, opts, holder, await Zk.connect([...servers], first));
  }

  /** The session in use now; after an expiry, the expired one until its replacement is open. */
  get zk(): Zk {
    return this.current;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Called with each session that replaced a lost one, in order; a handler's failure is logged. */
  onNewSession(handler: (zk: Zk) => void | Promise<void>): () => void {
    this.handlers.add(handler);
    return () => { this.handlers.delete(handler); };
  }

  close(): void {
    this.closed = true;
    this.current.close();
  }

  private adopt(zk: Zk): void {
    this.current = zk;
    zk.onSessionExpired(() => { if (zk === this.current) this.renew(); });
  }

  private renew(): void {
    if (this.closed || this.renewing) return;
    this.renewing = true;
    const logger = this.opts.logger;
    logger?.warn(`the ZooKeeper session of ${this.holder} was lost: opening a new one`);
    // Closing asks the server to drop the old session's ephemeral nodes at once, if it still can.
    this.current.close();
    void (async () => {
      for (let delay = 250; !this.closed; delay = Math.min(delay * 2, this.opts.maxRetryDelayMs ?? 2000)) {
        let zk: Zk;
        try {
          zk = await Zk.connect([...this.servers], this.opts);
        } catch (e) {
          logger?.warn(`opening a new ZooKeeper session for ${this.holder} failed (${(e as Error).message}); again in ${delay} ms`);
          await sleep(delay);
          continue;
        }
        if (this.closed) return zk.close();
        this.adopt(zk);
        logger?.warn(`opened a new ZooKeeper session ${zk.sessionId} for ${this.holder}`);
        for (const h of [...this.handlers]) {
          try {
            await h(zk);
          } catch (e) {
            logger?.warn(`after a new ZooKeeper session for ${this.holder}: ${(e as Error).message}`);
          }
        }
        return;
      }
    })().finally(() => {
      this.renewing = false;
      // The new session may itself have been lost while the handlers ran.
      if (!this.closed && this.current.isExpired) this.renew();
    });
  }
}
