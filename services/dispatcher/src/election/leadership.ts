import { EventEmitter } from 'node:events';
import type { Config } from '@msched/config';
import type { Logger } from '@msched/logging';
import { LeaderElection, Zk } from '@msched/zk';

export interface LeadershipEvents {
  elected: [];
  deposed: [reason: string];
}

/** Where the dispatcher replicas hold their election. */
export function electionPath(zkRoot: string): string {
  return `${zkRoot === '/' ? '' : zkRoot}/election/dispatcher`;
}

/**
 * This replica's standing in the dispatcher election (ZooKeeper ephemeral sequential nodes, lowest
 * leads). A lost session or a step-down deposes it at once; it then rejoins with a fresh session
 * and waits its turn again, so a replica never needs a restart to become a standby again.
 */
export class Leadership extends EventEmitter<LeadershipEvents> {
  private zkNow?: Zk;
  private election?: LeaderElection;
  private stopped = false;
  private rejoinTimer?: NodeJS.Timeout;
  private failures = 0;

  constructor(private readonly zkCfg: Config['zookeeper'], private readonly identity: string, private readonly logger: Logger) {
    super();
  }

  get isLeader(): boolean {
    return this.election?.isLeader ?? false;
  }

  /** The ZooKeeper session of this replica (undefined while reconnecting). */
  get zk(): Zk | undefined {
    return this.zkNow;
  }

  async start(): Promise<void> {
    try {
      await this.join();
    } catch (e) {
      // Nothing half-joined stays behind (a session, a candidate node): start may be tried again.
      await this.leave('joining the election failed');
      throw e;
    }
  }

  /** Who leads, as its candidate node says. */
  async currentLeader(): Promise<string | undefined> {
    return (await this.election?.currentLeader())?.identity;
  }

  /** Gives up leadership (or candidacy) and queues up again after `delayMs`. */
  async stepDown(reason: string, delayMs = 1000): Promise<void> {
    this.logger.warn(`stepping down: ${reason}`);
    await this.leave(reason);
    this.scheduleRejoin(delayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.rejoinTimer) clearTimeout(this.rejoinTimer);
    await this.leave('stopping');
  }

  private async join(): Promise<void> {
    const zk = await Zk.connect(this.zkCfg.connect, { sessionTimeoutMs: this.zkCfg.sessionTimeoutMs, logger: this.logger });
    if (this.stopped) return void zk.close();
    const election = new LeaderElection(zk, { path: electionPath(this.zkCfg.root), identity: this.identity, logger: this.logger });
    election.on('elected', () => this.emit('elected'));
    election.on('deposed', (reason) => this.emit('deposed', reason));
    // A lost session or candidate node ends this election for us, leader or standby (a standby is
    // never deposed, so 'deposed' alone left it out for good); a resignation rejoins by itself (stepDown).
    election.on('lost', (reason) => {
      if (election === this.election) void this.leave(reason).then(() => this.scheduleRejoin(0));
    });
    this.zkNow = zk;
    this.election = election;
    await election.start();
    this.failures = 0;
  }

  private async leave(reason: string): Promise<void> {
    const election = this.election;
    const zk = this.zkNow;
    this.election = undefined;
    this.zkNow = undefined;
    if (election) await election.resign().catch((e: Error) => this.logger.warn(`leaving the election (${reason}): ${e.message}`));
    zk?.close();
  }

  private scheduleRejoin(delayMs: number): void {
    if (this.stopped || this.rejoinTimer) return;
    this.rejoinTimer = setTimeout(() => {
      this.rejoinTimer = undefined;
      this.join().catch((e: Error) => {
        const wait = Math.min(30_000, 500 * 2 ** this.failures++);
        this.logger.error(`rejoining the dispatcher election failed (${e.message}); again in ${wait} ms`);
        this.scheduleRejoin(wait);
      });
    }, delayMs);
  }
}
