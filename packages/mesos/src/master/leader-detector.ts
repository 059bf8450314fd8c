import { EventEmitter } from 'node:events';
import { NoLeaderError } from '../errors';
import type { MasterEndpoint } from './master-info';

/** Tells who leads the Mesos masters now, and when that changes. */
export interface LeaderDetector {
  /** The leader as last seen, or undefined while no master leads. */
  current(): MasterEndpoint | undefined;
  /** Resolves with the leader as soon as one is known; rejects with NoLeaderError after `timeoutMs`. */
  leader(timeoutMs?: number): Promise<MasterEndpoint>;
  /** Called with each new leader (undefined: none right now); returns an unsubscribe function. */
  onChange(listener: (leader: MasterEndpoint | undefined) => void): () => void;
  close(): Promise<void>;
}

/** Shared bookkeeping: remembers the leader, notifies on real changes, serves waiters. */
export abstract class LeaderWatch implements LeaderDetector {
  private leaderNow: MasterEndpoint | undefined;
  private readonly events = new EventEmitter();

  current(): MasterEndpoint | undefined {
    return this.leaderNow;
  }

  onChange(listener: (leader: MasterEndpoint | undefined) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  leader(timeoutMs = 30_000): Promise<MasterEndpoint> {
    if (this.leaderNow) return Promise.resolve(this.leaderNow);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new NoLeaderError(`no leading Mesos master found within ${timeoutMs} ms (${this.describe()})`));
      }, timeoutMs);
      const off = this.onChange((l) => {
        if (!l) return;
        clearTimeout(timer);
        off();
        resolve(l);
      });
    });
  }

  abstract close(): Promise<void>;

  /** Where this detector looks, for messages. */
  protected abstract describe(): string;

  protected setLeader(next: MasterEndpoint | undefined): void {
    if (next?.url === this.leaderNow?.url) return;
    this.leaderNow = next;
    this.events.emit('change', next);
  }
}

/** A fixed master address; 307 redirects (followed by the client) find the leader from there. */
export class StaticLeaderDetector extends LeaderWatch {
  constructor(private readonly url: string) {
    super();
    this.setLeader({ url });
  }

  async close(): Promise<void> {
    // Nothing to release.
  }

  protected describe(): string {
    return this.url;
  }
}
