import type { DataSource } from 'typeorm';
import type { Config } from '@msched/config';
import type { Logger } from '@msched/logging';
import type { SchedulerClient } from '@msched/mesos';
import type { Metrics } from '@msched/observability';
import type { Zk } from '@msched/zk';

/** What the parts of the leading dispatcher share: settings, the database, the current Mesos client. */
export interface LeaderContext {
  readonly cfg: Config;
  readonly ds: DataSource;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** The ZooKeeper session of this replica (gang results, rendezvous cleanup). */
  zk(): Zk | undefined;
  /** Wakes this process' outbox relay after a commit. */
  afterCommit(): void;
  /** The Mesos client of the current subscription attempt. */
  client(): SchedulerClient | undefined;
  isSubscribed(): boolean;
  frameworkId(): string | undefined;
  /** Queues work behind everything already queued (the leader's one-at-a-time order). */
  enqueue(label: string, fn: () => Promise<unknown> | unknown): void;
}
