import { Zk } from '@msched/zk';
import type { Logger } from '@msched/logging';
import { masterEndpoint } from '../protocol/master-info';
import { LeaderWatch } from './leader-watch';

export interface MasterAddress { host: string; port: number }

/** How an agent finds the master to register with. */
export interface MasterDetector {
  current(): MasterAddress | null;
  /** Called on every change of leader; returns an unsubscribe function. */
  onChange(listener: (leader: MasterAddress | null) => void): () => void;
  stop(): Promise<void>;
}

/** A fixed master URL (no ZooKeeper): the agent keeps retrying the same address. */
export class StaticDetector implements MasterDetector {
  private readonly address: MasterAddress;
  constructor(url: string) {
    const u = new URL(url);
    this.address = { host: u.hostname, port: Number(u.port || 5050) };
  }
  current(): MasterAddress | null {
    return this.address;
  }
  onChange(): () => void {
    return () => {};
  }
  async stop(): Promise<void> {}
}

/**
 * Follows the leading master through ZooKeeper, as `--master=zk://...` agents do. When its session
 * expires (ZooKeeper was away longer than the session timeout) the watches die with it, so it
 * opens a new session and follows the leader again; until then the leader is unknown.
 */
export class ZkDetector implements MasterDetector {
  private leader: MasterAddress | null = null;
  private readonly listeners = new Set<(leader: MasterAddress | null) => void>();
  private stopped = false;
  private renewing?: Promise<void>;

  private constructor(private zk: Zk, private watch: LeaderWatch, private readonly servers: string[], private readonly path: string, private readonly logger?: Logger) {
    this.onExpiry(zk);
  }

  static async start(servers: string[], path: string, logger?: Logger): Promise<ZkDetector> {
    const zk = await Zk.connect(servers, { logger });
    const holder: { self?: ZkDetector } = {};
    const watch = new LeaderWatch(zk, path, (l) => holder.self?.publish(l ? masterEndpoint(l.info) : null), logger);
    holder.self = new ZkDetector(zk, watch, servers, path, logger);
    try {
      await watch.start();
    } catch (e) {
      zk.close();
      throw e;
    }
    return holder.self;
  }

  current(): MasterAddress | null {
    return this.leader;
  }

  onChange(listener: (leader: MasterAddress | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(addr: MasterAddress | null): void {
    this.leader = addr;
    this.listeners.forEach((l) => l(addr));
  }

  private onExpiry(zk: Zk): void {
    zk.onSessionExpired(() => {
      if (this.stopped || zk !== this.zk) return;
      this.renewing ??= this.renew().finally(() => { this.renewing = undefined; });
    });
  }

  /** A new session and a new watch, retried until ZooKeeper answers (or the detector stops). */
  private async renew(): Promise<void> {
    this.logger?.warn('ZooKeeper session of the master detector expired: following the leader with a new session');
    this.watch.stop();
    this.zk.close();
    this.publish(null);
    for (let delay = 500; !this.stopped; delay = Math.min(delay * 2, 10_000)) {
      try {
        const zk = await Zk.connect(this.servers, { logger: this.logger });
        if (this.stopped) { zk.close(); return; }
        const watch = new LeaderWatch(zk, this.path, (l) => { if (this.zk === zk) this.publish(l ? masterEndpoint(l.info) : null); }, this.logger);
        this.zk = zk;
        this.watch = watch;
        this.onExpiry(zk);
        await watch.start();
        return;
      } catch (e) {
        this.logger?.warn(`reconnecting the master detector to ZooKeeper failed (${(e as Error).message}); again in ${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watch.stop();
    this.zk.close();
  }
}
