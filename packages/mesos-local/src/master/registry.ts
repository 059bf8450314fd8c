import type { Zk } from '@msched/zk';

/**
 * The master's registry of admitted agents: what a newly elected master reads so that it waits for
 * those agents to re-register (and does not answer reconciliation about their tasks meanwhile).
 * Real Mesos keeps it in a replicated log; the local cluster keeps it in ZooKeeper, or in memory
 * when masters share one process.
 */
export interface RegistryEntry { id: string; hostname: string; state: 'admitted' | 'unreachable' | 'gone' }

export interface Registry {
  load(): Promise<RegistryEntry[]>;
  save(entries: RegistryEntry[]): Promise<void>;
}

export class MemoryRegistry implements Registry {
  private entries: RegistryEntry[] = [];
  async load(): Promise<RegistryEntry[]> {
    return this.entries.map((e) => ({ ...e }));
  }
  async save(entries: RegistryEntry[]): Promise<void> {
    this.entries = entries.map((e) => ({ ...e }));
  }
}

/** One persistent znode (`<path>/local_registry`) holding the entries as JSON. */
export class ZkRegistry implements Registry {
  constructor(private readonly zk: Zk, private readonly node: string) {}

  async load(): Promise<RegistryEntry[]> {
    const data = await this.zk.getData(this.node);
    if (!data || data.length === 0) return [];
    const parsed: unknown = JSON.parse(data.toString('utf8'));
    return Array.isArray(parsed) ? (parsed as RegistryEntry[]).filter((e) => typeof e?.id === 'string') : [];
  }

  async save(entries: RegistryEntry[]): Promise<void> {
    const json = JSON.stringify(entries);
    if (await this.zk.exists(this.node)) await this.zk.setData(this.node, json);
    else {
      await this.zk.mkdirp(this.node.slice(0, this.node.lastIndexOf('/')));
      try {
        await this.zk.create(this.node, json, 'persistent');
      } catch (e) {
        if ((e as { isNodeExists?: boolean }).isNodeExists) await this.zk.setData(this.node, json);
        else throw e;
      }
    }
  }
}
