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

/** Follows the leading master through ZooKeeper, as `--master=zk://...` agents do. */
export class ZkDetector implements MasterDetector {
  private leader: MasterAddress | null = null;
  private readonly listeners = new Set<(leader: MasterAddress | null) => void>();

  private constructor(private readonly zk: Zk, private readonly watch: LeaderWatch) {}

  static async start(servers: string[], path: string, logger?: Logger): Promise<ZkDetector> {
    const zk = await Zk.connect(servers, { logger });
    const holder: { self?: ZkDetector } = {};
    const watch = new LeaderWatch(zk, path, (l) => holder.self?.publish(l ? masterEndpoint(l.info) : null), logger);
    holder.self = new ZkDetector(zk, watch);
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

  async stop(): Promise<void> {
    this.watch.stop();
    this.zk.close();
  }
}
