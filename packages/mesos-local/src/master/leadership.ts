import type { Zk } from '@msched/zk';
import type { Logger } from '@msched/logging';
import type { MasterInfoJson } from '../protocol/mesos-types';
import { LeaderWatch, MASTER_NODE_PREFIX } from '../zk/leader-watch';

export interface LeadershipState { leading: boolean; leader: MasterInfoJson | null }

/** How a master learns whether it leads, and who does when it does not. */
export interface Leadership {
  start(self: MasterInfoJson, onChange: (s: LeadershipState) => void): Promise<void>;
  /** Gives up leadership for good (the ZooKeeper session closes, so the node goes at once). */
  stop(): Promise<void>;
}

/** A master alone: it leads from the start. */
export class SoleLeadership implements Leadership {
  async start(self: MasterInfoJson, onChange: (s: LeadershipState) => void): Promise<void> {
    onChange({ leading: true, leader: self });
  }
  async stop(): Promise<void> {}
}

export interface ZkLeadershipOptions { path: string; logger?: Logger }

/**
 * Contends through ZooKeeper like a Mesos master: an EPHEMERAL_SEQUENTIAL `json.info_` node with
 * MasterInfo JSON; the lowest sequence leads. Losing the session means losing leadership, and a
 * Mesos master that loses it exits; `onSessionLost` lets the owner do the same.
 */
export class ZkLeadership implements Leadership {
  private watch: LeaderWatch | null = null;
  private myNode = '';

  /** Takes ownership of `zk`: its session is the master's candidacy, closed by stop(). */
  constructor(private readonly zk: Zk, private readonly opts: ZkLeadershipOptions, private readonly onSessionLost: () => void = () => {}) {}

  async start(self: MasterInfoJson, onChange: (s: LeadershipState) => void): Promise<void> {
    this.zk.onSessionExpired(() => this.onSessionLost());
    await this.zk.mkdirp(this.opts.path);
    const created = await this.zk.create(`${this.opts.path}/${MASTER_NODE_PREFIX}`, JSON.stringify(self), 'ephemeral_sequential');
    this.myNode = created.slice(created.lastIndexOf('/') + 1);
    this.opts.logger?.info(`master ${self.id} contending as ${created}`);
    this.watch = new LeaderWatch(this.zk, this.opts.path, (leader) => {
      onChange({ leading: leader?.node === this.myNode, leader: leader?.info ?? null });
    }, this.opts.logger);
    await this.watch.start();
  }

  async stop(): Promise<void> {
    this.watch?.stop();
    this.zk.close();
  }
}
