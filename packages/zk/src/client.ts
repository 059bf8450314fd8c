import './connection-guard';
import zookeeper from 'node-zookeeper-client';
import type { Logger } from '@msched/logging';

/**
 * The only module that touches node-zookeeper-client (unmaintained upstream): everything else sees
 * this promise-based surface, so the library can be swapped without touching callers.
 */
export type CreateMode = 'persistent' | 'ephemeral' | 'persistent_sequential' | 'ephemeral_sequential';

const MODES: Record<CreateMode, number> = {
  persistent: zookeeper.CreateMode.PERSISTENT,
  ephemeral: zookeeper.CreateMode.EPHEMERAL,
  persistent_sequential: zookeeper.CreateMode.PERSISTENT_SEQUENTIAL,
  ephemeral_sequential: zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
};

export type ZkEventType = 'created' | 'deleted' | 'data_changed' | 'children_changed';
export interface ZkEvent { type: ZkEventType; path: string }
export type Watcher = (e: ZkEvent) => void;

export class ZkError extends Error {
  constructor(message: string, readonly code: number | undefined, readonly path?: string) {
    super(message);
    this.name = 'ZkError';
  }
  get isNoNode(): boolean { return this.code === zookeeper.Exception.NO_NODE; }
  get isNodeExists(): boolean { return this.code === zookeeper.Exception.NODE_EXISTS; }
  get isNotEmpty(): boolean { return this.code === zookeeper.Exception.NOT_EMPTY; }
  /**
   * The request failed because ZooKeeper could not be reached (lost connection, no answer in time,
   * session gone), not because of what it asked: the same request may succeed later.
   */
  get isConnectionProblem(): boolean {
    return this.code === zookeeper.Exception.CONNECTION_LOSS || this.code === zookeeper.Exception.OPERATION_TIMEOUT
      || this.code === zookeeper.Exception.SESSION_EXPIRED;
  }
}

export interface ZkOptions {
  sessionTimeoutMs?: number;
  /**
   * A request with no answer after this long fails (default: the session timeout, at least 5 s).
   * The library keeps a request issued while disconnected in its queue and, if the session then
   * expires, never answers it: without this bound its caller would wait forever.
   */
  requestTimeoutMs?: number;
  /** How long connect() waits for the first connection before failing. */
  connectTimeoutMs?: number;
  logger?: Logger;
}

function wrapErr(e: unknown, path?: string): ZkError {
  const ex = e as { code?: number; message?: string; getCode?: () => number };
  const code = typeof ex.getCode === 'function' ? ex.getCode() : ex.code;
  return new ZkError(`${ex.message ?? String(e)}${path ? ` (${path})` : ''}`, code, path);
}

function toEvent(e: zookeeper.Event): ZkEvent {
  const map: Record<number, ZkEventType> = {
    [zookeeper.Event.NODE_CREATED]: 'created',
    [zookeeper.Event.NODE_DELETED]: 'deleted',
    [zookeeper.Event.NODE_DATA_CHANGED]: 'data_changed',
    [zookeeper.Event.NODE_CHILDREN_CHANGED]: 'children_changed',
  };
  return { type: map[e.getType()], path: e.getPath() };
}

export class Zk {
  private closed = false;
  private expired = false;
  private disconnectedTimer?: NodeJS.Timeout;
  private readonly expiredHandlers: Array<() => void> = [];

  private constructor(private readonly client: zookeeper.Client, private readonly logger?: Logger, private readonly requestTimeoutMs = 10_000) {
    client.on('state', (state: zookeeper.State) => {
      if (state === zookeeper.State.EXPIRED) {
        this.expire('ZooKeeper session expired: ephemeral nodes are gone');
      } else if (state === zookeeper.State.DISCONNECTED && !this.closed) {
        this.logger?.warn('ZooKeeper disconnected; the client reconnects on its own');
        this.armDisconnectedTimer();
      } else if (state === zookeeper.State.SYNC_CONNECTED || state === zookeeper.State.CONNECTED_READ_ONLY) {
        if (this.disconnectedTimer) clearTimeout(this.disconnectedTimer);
        this.disconnectedTimer = undefined;
      }
    });
  }

  /**
   * The library learns of an expiry only when it reaches a server again, which may be long after
   * the server dropped our ephemeral nodes (or never, if ZooKeeper stays away). As Mesos' and
   * Curator's clients do, a session out of touch for its whole timeout is taken as expired here:
   * whoever holds ephemeral nodes (a leader) must stop relying on them now, not at reconnection.
   */
  private armDisconnectedTimer(): void {
    if (this.disconnectedTimer || this.expired) return;
    const timeoutMs = this.negotiatedSessionTimeoutMs || 10_000;
    this.disconnectedTimer = setTimeout(() => {
      this.disconnectedTimer = undefined;
      if (!this.closed) this.expire(`no ZooKeeper connection for the whole session timeout (${timeoutMs} ms): the session is taken as expired`);
    }, timeoutMs);
    this.disconnectedTimer.unref();
  }

  /** Tells the owners once per session, whichever of the library and the timer notices first. */
  private expire(why: string): void {
    if (this.expired) return;
    this.expired = true;
    if (this.disconnectedTimer) clearTimeout(this.disconnectedTimer);
    this.disconnectedTimer = undefined;
    this.logger?.warn(why);
    this.expiredHandlers.forEach((h) => h());
  }

  /** True once the session expired (or was out of touch for its whole timeout): open a new one. */
  get isExpired(): boolean {
    return this.expired;
  }

  /** Connects to the ensemble; rejects with a clear message when nothing answers in time. */
  static connect(servers: readonly string[], opts: ZkOptions = {}): Promise<Zk> {
    const client = zookeeper.createClient(servers.join(','), {
      sessionTimeout: opts.sessionTimeoutMs ?? 10000,
      spinDelay: 500,
      retries: 0,
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        reject(new ZkError(`ZooKeeper at ${servers.join(',')} did not answer within ${opts.connectTimeoutMs ?? 10000} ms (is the stack up? npm run stack:up)`, undefined));
      }, opts.connectTimeoutMs ?? 10000);
      client.once('connected', () => {
        clearTimeout(timer);
        const zk = new Zk(client, opts.logger, opts.requestTimeoutMs ?? Math.max(opts.sessionTimeoutMs ?? 10000, 5000));
        // The server clamps the timeout to its own bounds; failover times follow the granted one.
        const asked = opts.sessionTimeoutMs ?? 10000;
        if (zk.negotiatedSessionTimeoutMs !== asked) {
          opts.logger?.warn(`ZooKeeper granted a session timeout of ${zk.negotiatedSessionTimeoutMs} ms instead of the ${asked} ms asked (the server's minSessionTimeout/maxSessionTimeout)`);
        }
        resolve(zk);
      });
      client.connect();
    });
  }

  /** Called when the session expires; the caller must re-create its ephemeral nodes or step down. */
  onSessionExpired(handler: () => void): void {
    this.expiredHandlers.push(handler);
  }

  /** The session timeout the server granted (it clamps the one asked to its own bounds). */
  get negotiatedSessionTimeoutMs(): number {
    return this.client.getSessionTimeout();
  }

  /** Session id as hex, useful in logs to tell replicas apart. */
  get sessionId(): string {
    return this.client.getSessionId().toString('hex');
  }

  /** Runs one request, failing it when no answer comes within the request timeout. */
  private bounded<T>(what: string, path: string, run: (resolve: (v: T) => void, reject: (e: unknown) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ZkError(`ZooKeeper did not answer ${what} within ${this.requestTimeoutMs} ms (${path})`, zookeeper.Exception.CONNECTION_LOSS, path)), this.requestTimeoutMs);
      timer.unref();
      run((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
    });
  }

  create(path: string, data?: Buffer | string, mode: CreateMode = 'persistent'): Promise<string> {
    const buf = data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    return this.bounded('create', path, (resolve, reject) =>
      this.client.create(path, buf, MODES[mode], (err, created) => (err ? reject(wrapErr(err, path)) : resolve(created))));
  }

  mkdirp(path: string): Promise<string> {
    return this.bounded('mkdirp', path, (resolve, reject) => this.client.mkdirp(path, (err, p) => (err ? reject(wrapErr(err, path)) : resolve(p))));
  }

  /** Data of a node, or null when it does not exist. */
  getData(path: string, watcher?: Watcher): Promise<Buffer | null> {
    return this.bounded<Buffer | null>('getData', path, (resolve, reject) => {
      const cb = (err: Error | zookeeper.Exception | null, data: Buffer) => {
        if (err) {
          const z = wrapErr(err, path);
          return z.isNoNode ? resolve(null) : reject(z);
        }
        resolve(data ?? Buffer.alloc(0));
      };
      if (watcher) this.client.getData(path, (e) => watcher(toEvent(e)), cb);
      else this.client.getData(path, cb);
    });
  }

  setData(path: string, data: Buffer | string): Promise<void> {
    return this.bounded<void>('setData', path, (resolve, reject) =>
      this.client.setData(path, Buffer.isBuffer(data) ? data : Buffer.from(data), (err) => (err ? reject(wrapErr(err, path)) : resolve())));
  }

  getChildren(path: string, watcher?: Watcher): Promise<string[]> {
    return this.bounded<string[]>('getChildren', path, (resolve, reject) => {
      const cb = (err: Error | zookeeper.Exception | null, children: string[]) => (err ? reject(wrapErr(err, path)) : resolve(children));
      if (watcher) this.client.getChildren(path, (e) => watcher(toEvent(e)), cb);
      else this.client.getChildren(path, cb);
    });
  }

  exists(path: string, watcher?: Watcher): Promise<boolean> {
    return this.bounded<boolean>('exists', path, (resolve, reject) => {
      const cb = (err: Error | zookeeper.Exception | null, stat: zookeeper.Stat) => (err ? reject(wrapErr(err, path)) : resolve(!!stat));
      if (watcher) this.client.exists(path, (e) => watcher(toEvent(e)), cb);
      else this.client.exists(path, cb);
    });
  }

  /** Removes a node; a missing node is not an error (removal is idempotent). */
  remove(path: string): Promise<void> {
    return this.bounded<void>('remove', path, (resolve, reject) =>
      this.client.remove(path, -1, (err) => {
        if (err) {
          const z = wrapErr(err, path);
          return z.isNoNode ? resolve() : reject(z);
        }
        resolve();
      }));
  }

  /** Removes a node and everything under it. */
  async removeRecursive(path: string): Promise<void> {
    let children: string[];
    try {
      children = await this.getChildren(path);
    } catch (e) {
      if (e instanceof ZkError && e.isNoNode) return;
      throw e;
    }
    for (const c of children) await this.removeRecursive(`${path}/${c}`);
    await this.remove(path);
  }

  close(): void {
    this.closed = true;
    if (this.disconnectedTimer) clearTimeout(this.disconnectedTimer);
    this.client.close();
  }
}
