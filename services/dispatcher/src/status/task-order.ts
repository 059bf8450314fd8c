import type { TaskState } from '@msched/mesos';

/**
 * Whether a Mesos task update changes what we know. Updates may come twice (the agent re-sends
 * until acknowledged; reconciliation repeats the latest state), late (a reconciliation answer
 * overtaken by a newer agent update) or out of order across sources: only news is written, so the
 * history holds each state of a task once, in order.
 */
export type UpdateVerdict =
  | { readonly kind: 'record' }
  | { readonly kind: 'duplicate'; readonly why: string }
  | { readonly kind: 'stale'; readonly why: string };

const TERMINAL: ReadonlySet<string> = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE']);
/** Not terminal, but nothing of the task can be reached: a partitioned agent may still bring it back. */
const UNREACHABLE: ReadonlySet<string> = new Set(['TASK_LOST', 'TASK_UNREACHABLE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN']);
const LIVE_ORDER: Readonly<Record<string, number>> = { TASK_STAGING: 0, TASK_STARTING: 1, TASK_RUNNING: 2, TASK_KILLING: 3 };

export function isTerminalState(state: string): boolean {
  return TERMINAL.has(state);
}

/** How far along a state is: live states in order, then unreachable ones, then terminal ones. */
export function progressOf(state: string): number {
  if (TERMINAL.has(state)) return 5;
  if (UNREACHABLE.has(state)) return 4;
  return LIVE_ORDER[state] ?? 0;
}

export interface StoredTask {
  readonly state: string;
  readonly lastUpdateUuid: string | null;
}

export interface IncomingUpdate {
  readonly state: TaskState;
  readonly uuid?: string;
}

export function judgeUpdate(stored: StoredTask, next: IncomingUpdate): UpdateVerdict {
  if (next.uuid && next.uuid === stored.lastUpdateUuid) return { kind: 'duplicate', why: `update ${next.uuid} was already recorded` };
  if (TERMINAL.has(stored.state)) return { kind: 'stale', why: `the task already ended in ${stored.state}` };
  if (next.state === stored.state) return { kind: 'duplicate', why: `the task is already ${stored.state}` };
  // An agent that was partitioned away can come back: whatever it reports then is news.
  if (UNREACHABLE.has(stored.state)) return { kind: 'record' };
  if (progressOf(next.state) < progressOf(stored.state)) return { kind: 'stale', why: `${next.state} is older than the recorded ${stored.state}` };
  return { kind: 'record' };
}
