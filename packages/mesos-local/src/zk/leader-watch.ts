import type { Logger } from '@msched/logging';
import type { Zk } from '@msched/zk';
import type { MasterInfoJson } from '../protocol/mesos-types';

export const MASTER_NODE_PREFIX = 'json.info_';

export interface LeaderSnapshot { node: string; info: MasterInfoJson }

/** Contenders sorted by their 10-digit sequence; the first is the leader. */
export function sortContenders(children: readonly string[]): string[] {
  return children.filter((c) => c.startsWith(MASTER_NODE_PREFIX) && /\d+$/.test(c))
    .sort((a, b) => Number(/\d+$/.exec(a)![0]) - Number(/\d+$/.exec(b)![0]));
}

/**
 * Follows the leading master under a ZooKeeper path, as Mesos' detector does: the lowest
 * `json.info_` sequence leads. Calls `onChange` whenever the leader (or its absence) changes.
 */
export class LeaderWatch {
  private stopped = false;
  private current: string | null | undefined = undefined;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly zk: Zk, private readonly path: string, private readonly onChange: (leader: LeaderSnapshot | null) => void, private readonly logger?: Logger) {}

  async start(): Promise<void> {
    await this.zk.mkdirp(this.path);
    await this.refresh();
  }

  stop(): void {
    this.stopped = true;
  }

  /** Re-reads the children; concurrent triggers collapse into one more pass. */
  private refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.readOnce().catch((e) => {
          this.logger?.warn(`reading the masters under ${this.path} failed: ${(e as Error).message}`);
          if (!this.stopped) setTimeout(() => void this.refresh(), 500).unref();
        });
      } while (this.again && !this.stopped);
      this.running = null;
    })();
    return this.running;
  }

  private async readOnce(): Promise<void> {
    if (this.stopped) return;
    const children = await this.zk.getChildren(this.path, () => {
      if (!this.stopped) void this.refresh();
    });
    const [first] = sortContenders(children);
    if (!first) return this.publish(null);
    const data = await this.zk.getData(`${this.path}/${first}`);
    if (data === null) {
      this.again = true; // The leader left between the two reads.
      return;
    }
    let info: MasterInfoJson;
    try {
      info = JSON.parse(data.toString('utf8')) as MasterInfoJson;
    } catch {
      this.logger?.warn(`master node ${this.path}/${first} does not hold MasterInfo JSON; ignoring it`);
      return this.publish(null);
    }
    this.publish({ node: first, info });
  }

  private publish(leader: LeaderSnapshot | null): void {
    const key = leader ? leader.node : null;
    if (key === this.current || this.stopped) return;
    this.current = key;
    this.onChange(leader);
  }
}
