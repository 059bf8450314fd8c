import type { Logger } from '@msched/logging';
import type { TaskStatus } from '../protocol/mesos-types';
import { newStatusUuid } from '../protocol/status-uuid';
import { Backoff, type BackoffPolicy } from '@msched/retry';
import { TaskUpdateStream } from './task-update-stream';

export interface UpdateRetry { baseMs: number; maxMs: number }

/** Mesos' status update retry: base, 2·base, 4·base... up to max (10 s to 10 min by default), no jitter. */
export function updateRetryPolicy(r: UpdateRetry): BackoffPolicy {
  return { initialMs: Math.min(r.baseMs, r.maxMs), maxMs: r.maxMs, multiplier: 2, jitter: 0 };
}

interface Entry { frameworkId: string; taskId: string; stream: TaskUpdateStream; timer?: NodeJS.Timeout; backoff: Backoff }

/**
 * The agent's status update manager: gives each update a uuid, keeps one stream per task, sends
 * each head to the master and re-sends it with a doubling backoff until it is acknowledged.
 */
export class StatusUpdateManager {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly send: (frameworkId: string, status: TaskStatus) => void,
    private readonly retry: UpdateRetry,
    private readonly logger: Logger,
  ) {}

  /** Adds an update (a uuid is assigned) and returns it as queued. */
  update(frameworkId: string, status: TaskStatus): TaskStatus {
    const withUuid: TaskStatus = { ...status, uuid: newStatusUuid() };
    const key = `${frameworkId}\u0000${status.task_id.value}`;
    let e = this.entries.get(key);
    if (!e) {
      e = { frameworkId, taskId: status.task_id.value, stream: new TaskUpdateStream(), backoff: new Backoff(updateRetryPolicy(this.retry)) };
      this.entries.set(key, e);
    }
    if (e.stream.push(withUuid)) this.sendHead(e, true);
    return withUuid;
  }

  /** Returns true when this acknowledgement ended the task's stream (its terminal update was acknowledged). */
  acknowledge(frameworkId: string, taskId: string, uuid: string): boolean {
    const key = `${frameworkId}\u0000${taskId}`;
    const e = this.entries.get(key);
    if (!e) {
      this.logger.debug(`acknowledgement for unknown stream of task ${taskId} (${frameworkId}) ignored`);
      return false;
    }
    const outcome = e.stream.acknowledge(uuid);
    if (outcome.kind === 'ignored') {
      this.logger.debug(`acknowledgement of task ${taskId} ignored: ${outcome.reason}`);
      return false;
    }
    clearTimeout(e.timer);
    e.timer = undefined;
    if (outcome.terminal) {
      this.entries.delete(key);
      return true;
    }
    if (outcome.next) this.sendHead(e, true);
    return false;
  }

  /** Re-sends every pending head at once (after (re-)registering with a master), backoff reset. */
  flush(): void {
    for (const e of this.entries.values()) if (e.stream.head) this.sendHead(e, true);
  }

  /** Forgets a framework's streams (it was removed: nobody will acknowledge). */
  dropFramework(frameworkId: string): void {
    for (const [k, e] of this.entries) {
      if (e.frameworkId !== frameworkId) continue;
      clearTimeout(e.timer);
      this.entries.delete(k);
    }
  }

  stop(): void {
    for (const e of this.entries.values()) clearTimeout(e.timer);
    this.entries.clear();
  }

  private sendHead(e: Entry, resetBackoff: boolean): void {
    const head = e.stream.head;
    if (!head) return;
    clearTimeout(e.timer);
    if (resetBackoff) e.backoff.reset();
    this.send(e.frameworkId, head);
    const delayMs = e.backoff.next();
    e.timer = setTimeout(() => {
      this.logger.debug(`re-sending unacknowledged ${head.state} of task ${e.taskId} (backoff ${delayMs} ms)`);
      this.sendHead(e, false);
    }, delayMs);
  }
}
