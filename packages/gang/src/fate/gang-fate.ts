import { isTerminalTaskState, type TaskState, type TaskStatus } from '@msched/mesos/protocol';
import { classifyFailure, isFailingState, isGoneState, operatorHint } from './failure-classifier';
import type {
  GangAttemptPlan, GangDecision, GangEvent, GangPhase, GangTaskPlan, GangView, JobOutcome, TaskRef, TrackedTaskState,
} from './types';

export interface GangFateOptions {
  /** A task still alive this long after our KILL gets another KILL (kills can be lost with an agent). */
  readonly killRetrySeconds?: number;
}

/** What a dispatcher restores from the DB after a failover. */
export interface RestoredGang {
  readonly states?: ReadonlyMap<string, TrackedTaskState>;
  readonly outcome?: JobOutcome;
}

interface Tracked {
  readonly plan: GangTaskPlan;
  state: TrackedTaskState;
  reason?: string;
  message?: string;
  everRan: boolean;
  killSentAt?: number;
}

/** Forward order of the live states; an update that would go backwards is stale and ignored. */
const PROGRESS: Partial<Record<TrackedTaskState, number>> = {
  PENDING: 0, TASK_STAGING: 1, TASK_STARTING: 2, TASK_RUNNING: 3, TASK_KILLING: 4,
};

const isTerminal = (s: TrackedTaskState): boolean => s !== 'PENDING' && s !== 'NOT_LAUNCHED' && isTerminalTaskState(s);
const isGone = (s: TrackedTaskState): boolean => s !== 'PENDING' && s !== 'NOT_LAUNCHED' && isGoneState(s);
/** Nothing of the task runs that we could still reach. */
const hasEnded = (s: TrackedTaskState): boolean => s === 'NOT_LAUNCHED' || isTerminal(s) || isGone(s);
/** A KILL can still do something (gone tasks included: the kill applies if their agent comes back). */
const isKillable = (s: TrackedTaskState): boolean => s !== 'NOT_LAUNCHED' && !isTerminal(s);
const isAlive = (s: TrackedTaskState): boolean => PROGRESS[s] !== undefined && s !== 'TASK_KILLING';

function ranksText(ranks: readonly number[]): string {
  if (ranks.length === 1) return `rank ${ranks[0]}`;
  return `ranks ${ranks[0]}-${ranks[ranks.length - 1]}`;
}

function minutesText(seconds: number): string {
  const m = seconds / 60;
  return Number.isInteger(m) ? `${m} min` : `${seconds} s`;
}

/**
 * One gang attempt's fate, driven by Mesos task updates: all tasks RUNNING → active; all FINISHED →
 * COMPLETE; any task failing → every other task is killed and the job FAILED with that rank and
 * reason ("one fate"); wall time → kill + FAILED; cancel → kill + CANCELED. Pure: decisions out,
 * no I/O. Duplicate, stale and late updates change nothing.
 */
export class GangFate {
  private readonly tasks = new Map<string, Tracked>();
  private phase: GangPhase = 'launching';
  private outcome: JobOutcome | undefined;
  private activeSent = false;
  private settledSent = false;
  private readonly killRetryMs: number;

  constructor(readonly plan: GangAttemptPlan, opts: GangFateOptions = {}, restored: RestoredGang = {}) {
    if (plan.tasks.length === 0) throw new RangeError(`gang ${plan.jobId} has no tasks`);
    this.killRetryMs = (opts.killRetrySeconds ?? 30) * 1000;
    for (const t of plan.tasks) {
      const state = restored.states?.get(t.taskId) ?? 'PENDING';
      const everRan = state === 'TASK_RUNNING' || state === 'TASK_KILLING' || state === 'TASK_FINISHED';
      this.tasks.set(t.taskId, { plan: t, state, everRan });
    }
    if (this.allTasks((t) => t.everRan)) {
      this.activeSent = true;
      this.phase = 'running';
    }
    if (restored.outcome) {
      this.outcome = restored.outcome;
      this.phase = 'ending';
      if (this.allTasks((t) => hasEnded(t.state))) {
        this.settledSent = true;
        this.phase = 'settled';
      }
    }
  }

  owns(taskId: string): boolean {
    return this.tasks.has(taskId);
  }

  view(): GangView {
    return {
      jobId: this.plan.jobId,
      attempt: this.plan.attempt,
      phase: this.phase,
      ...(this.outcome ? { outcome: this.outcome } : {}),
      tasks: [...this.tasks.values()].map((t) => ({
        taskId: t.plan.taskId,
        agentId: t.plan.agentId,
        ranks: t.plan.ranks,
        state: t.state,
        ...(t.reason ? { reason: t.reason } : {}),
        ...(t.message ? { message: t.message } : {}),
      })),
    };
  }

  /** Feeds one event; returns what the dispatcher must do, in order. `now` is epoch ms. */
  handle(event: GangEvent, now: number): GangDecision[] {
    const out: GangDecision[] = [];
    switch (event.type) {
      case 'update':
        this.onUpdate(event.status, now, out);
        break;
      case 'launchFailed':
        this.onLaunchFailed(event.agentId, event.reason, now, out);
        break;
      case 'agentLost':
        this.onAgentLost(event.agentId, now, out);
        break;
      case 'cancel':
        if (!this.outcome) this.seal({ state: 'CANCELED', reason: event.reason ?? 'canceled by the user' }, now, out);
        break;
      case 'tick':
        this.onTick(now, out);
        break;
    }
    this.maybeSettle(out);
    return out;
  }

  private onUpdate(status: TaskStatus, now: number, out: GangDecision[]): void {
    const t = this.tasks.get(status.task_id.value);
    if (!t) return;
    const next: TaskState = status.state;
    if (isTerminal(t.state) || next === t.state) return;
    const from = PROGRESS[t.state];
    const to = PROGRESS[next];
    if (from !== undefined && to !== undefined && to < from) return;
    t.state = next;
    t.reason = status.reason;
    t.message = status.message;
    if (next === 'TASK_RUNNING') t.everRan = true;

    if (this.outcome) {
      // The gang is over: anything still (or again) alive must die.
      if (isAlive(next)) this.kill([t], now, out);
      return;
    }
    if (next === 'TASK_RUNNING' && !this.activeSent && this.allTasks((x) => x.everRan)) {
      this.activeSent = true;
      this.phase = 'running';
      out.push({ type: 'active' });
    } else if (next === 'TASK_FINISHED' && this.allTasks((x) => x.state === 'TASK_FINISHED')) {
      this.seal({ state: 'COMPLETE' }, now, out);
    } else if (isFailingState(next)) {
      const failure = classifyFailure(status, t.everRan);
      const hint = operatorHint(status);
      const detail = `${next}${status.reason ? ` (${status.reason})` : ''}${status.message ? `: ${status.message}` : ''}${hint ? ` — ${hint}` : ''}`;
      this.seal({
        state: 'FAILED',
        failure,
        reason: `rank ${t.plan.ranks[0]} failed with ${detail} [task ${t.plan.taskId} on agent ${t.plan.agentId}, ${ranksText(t.plan.ranks)}]`,
        failedRank: t.plan.ranks[0],
        failedTaskId: t.plan.taskId,
        retry: this.retryFor(failure),
      }, now, out);
    }
  }

  private onLaunchFailed(agentId: string, reason: string, now: number, out: GangDecision[]): void {
    const onAgent = [...this.tasks.values()].filter((t) => t.plan.agentId === agentId);
    if (onAgent.length === 0) return;
    for (const t of onAgent) if (t.state === 'PENDING') t.state = 'NOT_LAUNCHED';
    if (this.outcome) return;
    const first = onAgent[0];
    this.seal({
      state: 'FAILED',
      failure: 'infrastructure',
      reason: `launching ${ranksText(first.plan.ranks)} on agent ${agentId} failed: ${reason}`,
      failedRank: first.plan.ranks[0],
      failedTaskId: first.plan.taskId,
      retry: this.retryFor('infrastructure'),
    }, now, out);
  }

  private onAgentLost(agentId: string, now: number, out: GangDecision[]): void {
    if (this.outcome) return;
    const hit = [...this.tasks.values()].find((t) => t.plan.agentId === agentId && !hasEnded(t.state));
    if (!hit) return;
    this.seal({
      state: 'FAILED',
      failure: 'infrastructure',
      reason: `agent ${agentId} was lost with ${ranksText(hit.plan.ranks)} [task ${hit.plan.taskId}]`,
      failedRank: hit.plan.ranks[0],
      failedTaskId: hit.plan.taskId,
      retry: this.retryFor('infrastructure'),
    }, now, out);
  }

  private onTick(now: number, out: GangDecision[]): void {
    if (!this.outcome) {
      if (now >= this.plan.launchedAt + this.plan.wallTimeSeconds * 1000) {
        this.seal({
          state: 'FAILED',
          failure: 'wall-time',
          reason: `wall time limit of ${minutesText(this.plan.wallTimeSeconds)} reached`,
          retry: false,
        }, now, out);
      }
      return;
    }
    const overdue = [...this.tasks.values()].filter((t) => isKillable(t.state) && t.killSentAt !== undefined && now - t.killSentAt >= this.killRetryMs);
    this.kill(overdue, now, out);
  }

  private seal(outcome: JobOutcome, now: number, out: GangDecision[]): void {
    this.outcome = outcome;
    this.phase = 'ending';
    out.push({ type: 'outcome', outcome });
    this.kill([...this.tasks.values()].filter((t) => isKillable(t.state)), now, out);
  }

  private kill(tasks: Tracked[], now: number, out: GangDecision[]): void {
    if (tasks.length === 0) return;
    const refs: TaskRef[] = tasks.map((t) => {
      t.killSentAt = now;
      return { taskId: t.plan.taskId, agentId: t.plan.agentId };
    });
    out.push({ type: 'kill', tasks: refs });
  }

  private maybeSettle(out: GangDecision[]): void {
    if (!this.outcome || this.settledSent) return;
    if (!this.allTasks((t) => hasEnded(t.state))) return;
    this.settledSent = true;
    this.phase = 'settled';
    out.push({ type: 'settled' });
  }

  private retryFor(failure: 'application' | 'infrastructure' | 'wall-time'): boolean {
    return failure === 'infrastructure' && this.plan.attempt < this.plan.maxAttempts;
  }

  private allTasks(pred: (t: Tracked) => boolean): boolean {
    for (const t of this.tasks.values()) if (!pred(t)) return false;
    return true;
  }
}
