import type { Logger } from '@msched/logging';
import { Zk } from '@msched/zk';
import { Backoff, type BackoffPolicy } from '@msched/retry';
import { LeaderWatch } from './leader-detector';
import { parseMasterInfo, type MasterInfoOptions } from './master-info';
import { pickLeaderNode } from './leader-node';

export interface ZkLeaderDetectorOptions extends MasterInfoOptions {
  readonly logger?: Logger;
  readonly sessionTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /** Delay between attempts after ZooKeeper errors or an expired session. */
  readonly retry?: BackoffPolicy;
}

/**
 * Watches `<path>` in ZooKeeper and reports the master owning the lowest `json.info_` node. Watches
 * are one-shot, so each fires one re-read that arms the next; a re-read racing an older one wins by
 * generation. An expired session is replaced by a new one.
 */
export class ZkLeaderDetector extends LeaderWatch {
  private zk: Zk | undefined;
  private closed = false;
  private generation = 0;
  private childWatchArmed = false;
  private existsWatchArmed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;

  private constructor(
    private readonly servers: readonly string[],
    private readonly path: string,
    private readonly opts: ZkLeaderDetectorOptions,
  ) {
    super();
    this.backoff = new Backoff(opts.retry ?? { initialMs: 200, maxMs: 10_000, multiplier: 2, jitter: 0.2 });
  }

  /** Connects and reads the current leader once before resolving (the leader may still be undefined). */
  static async start(servers: readonly string[], path: string, opts: ZkLeaderDetectorOptions = {}): Promise<ZkLeaderDetector> {
    const d = new ZkLeaderDetector(servers, path, opts);
    await d.connect();
    await d.refresh();
    return d;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.zk?.close();
    this.zk = undefined;
  }

  protected describe(): string {
    return `zk://${this.servers.join(',')}${this.path}`;
  }

  private async connect(): Promise<void> {
    const zk = await Zk.connect(this.servers, {
      sessionTimeoutMs: this.opts.sessionTimeoutMs,
      connectTimeoutMs: this.opts.connectTimeoutMs,
      logger: this.opts.logger,
    });
    if (this.closed) {
      zk.close();
      return;
    }
    this.zk = zk;
    this.childWatchArmed = false;
    this.existsWatchArmed = false;
    zk.onSessionExpired(() => {
      if (zk !== this.zk || this.closed) return;
      this.opts.logger?.warn('Mesos leader detection lost its ZooKeeper session; reconnecting');
      zk.close();
      this.zk = undefined;
      this.scheduleRetry();
    });
  }

  private readonly onWatch = (kind: 'child' | 'exists') => () => {
    if (kind === 'child') this.childWatchArmed = false;
    else this.existsWatchArmed = false;
    void this.refresh();
  };

  private readonly childWatcher = this.onWatch('child');
  private readonly existsWatcher = this.onWatch('exists');

  private async refresh(): Promise<void> {
    if (this.closed) return;
    const gen = ++this.generation;
    try {
      if (!this.zk) await this.connect();
      const zk = this.zk;
      if (!zk || this.closed) return;
      // Arm each watch only when the previous one has fired: the ZooKeeper wrapper wraps every
      // watcher afresh, so re-arming an armed watch would pile up duplicate listeners.
      const armExists = !this.existsWatchArmed;
      this.existsWatchArmed = true;
      const exists = await zk.exists(this.path, armExists ? this.existsWatcher : undefined);
      if (!exists) return this.publish(gen, undefined);
      const armChildren = !this.childWatchArmed;
      this.childWatchArmed = true;
      const children = await zk.getChildren(this.path, armChildren ? this.childWatcher : undefined).catch((e) => {
        this.childWatchArmed = false;
        throw e;
      });
      const node = pickLeaderNode(children);
      if (!node) return this.publish(gen, undefined);
      const data = await zk.getData(`${this.path}/${node}`);
      // The node vanished between the two reads: the children watch fires and re-reads.
      if (data === null) return;
      try {
        this.publish(gen, parseMasterInfo(data, this.opts));
      } catch (e) {
        this.opts.logger?.warn(`ignoring unreadable leader node ${this.path}/${node}: ${(e as Error).message}`);
        this.publish(gen, undefined);
      }
      this.backoff.reset();
    } catch (e) {
      if (this.closed) return;
      this.opts.logger?.warn(`reading the Mesos leader from ${this.describe()} failed: ${(e as Error).message}`);
      this.existsWatchArmed = false;
      this.childWatchArmed = false;
      this.scheduleRetry();
    }
  }

  private publish(gen: number, leader: Parameters<LeaderWatch['setLeader']>[0]): void {
    if (gen !== this.generation || this.closed) return;
    if (leader?.url !== this.current()?.url) {
      this.opts.logger?.info(leader ? `leading Mesos master is ${leader.url}` : `no Mesos master leads at ${this.describe()}`);
    }
    this.setLeader(leader);
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.refresh();
    }, this.backoff.next());
  }
}
