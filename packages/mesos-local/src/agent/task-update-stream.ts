import type { TaskStatus } from '../protocol/mesos-types';
import { isTerminal } from '../protocol/task-states';

export type AckOutcome =
  /** The uuid was not the head's: a duplicate or stale acknowledgement, ignored as Mesos does. */
  | { kind: 'ignored'; reason: string }
  /** The head was acknowledged; `next` is the update to send now, if any. */
  | { kind: 'acknowledged'; next?: TaskStatus; terminal: boolean };

/**
 * One task's status updates on the agent, pure: delivered one at a time and in order; the head is
 * re-sent until acknowledged, then the next one becomes the head.
 */
export class TaskUpdateStream {
  private readonly queue: TaskStatus[] = [];
  private ended = false;

  get head(): TaskStatus | undefined {
    return this.queue[0];
  }

  get pending(): number {
    return this.queue.length;
  }

  /** True once the terminal update has been acknowledged: nothing more will ever be sent. */
  get finished(): boolean {
    return this.ended;
  }

  /** Queues an update (it must carry a uuid); returns true when it became the head and must be sent now. */
  push(status: TaskStatus): boolean {
    if (this.ended) return false;
    this.queue.push(status);
    return this.queue.length === 1;
  }

  acknowledge(uuid: string): AckOutcome {
    const head = this.queue[0];
    if (!head) return { kind: 'ignored', reason: 'no update is waiting for an acknowledgement' };
    if (head.uuid !== uuid) return { kind: 'ignored', reason: `uuid ${uuid} is not the pending update's (${head.uuid}, ${head.state})` };
    this.queue.shift();
    const terminal = isTerminal(head.state);
    if (terminal) {
      this.ended = true;
      this.queue.length = 0;
    }
    return { kind: 'acknowledged', next: this.queue[0], terminal };
  }
}
