import { EventEmitter } from 'node:events';
import type { Logger } from '@msched/logging';
import { Zk, ZkError } from './client';

export interface ElectionOptions {
  /** Election folder, e.g. `/msched/election/dispatcher`. */
  path: string;
  /** Stored in our candidate node so operators can see who leads (`msched` prints it). */
  identity: string;
  logger?: Logger;
}

export interface LeaderElectionEvents {
  elected: [];
  /** Leadership is gone (session expired or we resigned): stop acting as leader at once. */
  deposed: [reason: string];
  /**
   * Our candidacy is over without our resigning (session expired, node gone), whether we led or
   * stood by: the owner must join again with a new session, or it is never a candidate again.
   */
  lost: [reason: string];
}

const PREFIX = 'candidate_';

/** Sequence number of a candidate node name (ZooKeeper appends 10 digits). */
export function sequenceOf(name: string): number {
  const m = /(\d{10})$/.exec(name);
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
}

/**
 * The candidate a given one must watch: the next lower sequence, or null when it is the lowest
 * (the leader). Watching only the predecessor avoids the herd effect of everyone watching the leader.
 */
export function predecessorOf(mine: string, children: readonly string[]): string | null {
  const seq = sequenceOf(mine);
  let best: string | null = null;
  for (const c of children) {
    if (!c.startsWith(PREFIX)) continue;
    const s = sequenceOf(c);
    if (s < seq && (best === null || s > sequenceOf(best))) best = c;
  }
  return best;
}

/**
 * ZooKeeper leader election with ephemeral sequential nodes: the lowest candidate leads; the others
 * each watch their predecessor. A replica whose session expires is deposed before anything else.
 */
export class LeaderElection extends EventEmitter<LeaderElectionEvents> {
  private node: string | null = null;
  private leader = false;
  private stopped = false;

  constructor(private readonly zk: Zk, private readonly opts: ElectionOptions) {
    super();
    zk.onSessionExpired(() => this.depose('ZooKeeper session expired'));
  }

  get isLeader(): boolean {
    return this.leader;
  }

  get candidatePath(): string | null {
    return this.node;
  }

  async start(): Promise<void> {
    await this.zk.mkdirp(this.opts.path);
    this.node = await this.zk.create(`${this.opts.path}/${PREFIX}`, JSON.stringify({ identity: this.opts.identity, since: new Date().toISOString() }), 'ephemeral_sequential');
    this.opts.logger?.info(`joined election as ${this.node}`, { identity: this.opts.identity });
    await this.check();
  }

  /** Who leads now, as stored by the leader itself (for operators). */
  async currentLeader(): Promise<{ identity: string; since: string } | null> {
    const children = (await this.zk.getChildren(this.opts.path)).filter((c) => c.startsWith(PREFIX));
    children.sort((a, b) => sequenceOf(a) - sequenceOf(b));
    for (const c of children) {
      const data = await this.zk.getData(`${this.opts.path}/${c}`);
      if (data) return JSON.parse(data.toString()) as { identity: string; since: string };
    }
    return null;
  }

  /** Leaves the election (our node is removed, so the next candidate takes over at once). */
  async resign(): Promise<void> {
    this.stopped = true;
    if (this.node) await this.zk.remove(this.node).catch(() => undefined);
    this.depose('resigned');
  }

  private depose(reason: string): void {
    if (this.leader) {
      this.leader = false;
      this.opts.logger?.warn(`no longer the leader: ${reason}`);
      this.emit('deposed', reason);
    }
    if (reason !== 'resigned' && !this.stopped) {
      this.stopped = true;
      this.emit('lost', reason);
    }
  }

  private async check(): Promise<void> {
    if (this.stopped || !this.node) return;
    const mine = this.node.slice(this.node.lastIndexOf('/') + 1);
    let children: string[];
    try {
      children = await this.zk.getChildren(this.opts.path);
    } catch (e) {
      this.opts.logger?.error(`election check failed: ${(e as Error).message}`);
      return;
    }
    if (!children.includes(mine)) {
      this.depose('our candidate node is gone');
      return;
    }
    const pred = predecessorOf(mine, children);
    if (pred === null) {
      if (!this.leader) {
        this.leader = true;
        this.opts.logger?.info('elected leader', { identity: this.opts.identity });
        this.emit('elected');
      }
      return;
    }
    try {
      const exists = await this.zk.exists(`${this.opts.path}/${pred}`, () => { void this.check(); });
      if (!exists) await this.check();
    } catch (e) {
      if (!(e instanceof ZkError)) throw e;
      this.opts.logger?.error(`cannot watch predecessor ${pred}: ${e.message}`);
    }
  }
}
