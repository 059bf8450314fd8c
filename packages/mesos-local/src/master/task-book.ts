import type { TaskInfo, TaskState, TaskStatus } from '../protocol/mesos-types';
import { isTerminal } from '../protocol/task-states';
import { Bag, EMPTY, add } from '../resources/bag';
import { GroupExecutorRecord, TaskRecord, executorKey, taskKey } from './records';

const COMPLETED_TASKS_KEPT = 1000;
const STATUSES_KEPT = 50;

/**
 * The master's tasks: live ones (terminal ones too until their last update is acknowledged), a
 * bounded list of completed ones, and the executors of task groups. Knows what they use.
 */
export class TaskBook {
  /** `now`: the master's clock (ms since the epoch). */
  constructor(private readonly now: () => number = Date.now) {}

  private readonly tasks = new Map<string, TaskRecord>();
  private readonly completed: TaskRecord[] = [];
  private readonly executors = new Map<string, GroupExecutorRecord>();

  get(frameworkId: string, taskId: string): TaskRecord | undefined {
    return this.tasks.get(taskKey(frameworkId, taskId));
  }

  has(frameworkId: string, taskId: string): boolean {
    return this.tasks.has(taskKey(frameworkId, taskId));
  }

  all(): TaskRecord[] {
    return [...this.tasks.values()];
  }

  ofFramework(frameworkId: string): TaskRecord[] {
    return this.all().filter((t) => t.frameworkId === frameworkId);
  }

  onAgent(agentId: string): TaskRecord[] {
    return this.all().filter((t) => t.agentId === agentId);
  }

  completedTasks(): TaskRecord[] {
    return [...this.completed];
  }

  add(frameworkId: string, agentId: string, info: TaskInfo, resources: Bag, executorId: string, groupExecutorId?: string): TaskRecord {
    const t: TaskRecord = {
      frameworkId, agentId, executorId, groupExecutorId, info, resources, taskId: info.task_id.value, state: 'TASK_STAGING', statuses: [], changedAt: this.now() / 1000,
    };
    this.tasks.set(taskKey(frameworkId, t.taskId), t);
    return t;
  }

  /** Records a new state (and the status that brought it, once per uuid). */
  setState(t: TaskRecord, state: TaskState, status?: TaskStatus): void {
    if (t.state !== state) t.changedAt = this.now() / 1000;
    t.state = state;
    if (status && !(status.uuid && t.statuses.some((s) => s.uuid === status.uuid))) {
      t.statuses.push(status);
      if (t.statuses.length > STATUSES_KEPT) t.statuses.splice(0, t.statuses.length - STATUSES_KEPT);
    }
  }

  /** Moves a task to the completed list: its story is over for the master. */
  complete(t: TaskRecord): void {
    const key = taskKey(t.frameworkId, t.taskId);
    if (!this.tasks.delete(key)) return;
    this.completed.push(t);
    if (this.completed.length > COMPLETED_TASKS_KEPT) this.completed.shift();
  }

  executor(frameworkId: string, agentId: string, executorId: string): GroupExecutorRecord | undefined {
    return this.executors.get(executorKey(frameworkId, agentId, executorId));
  }

  setExecutor(e: GroupExecutorRecord): void {
    this.executors.set(executorKey(e.frameworkId, e.agentId, e.executorId), e);
  }

  removeExecutor(frameworkId: string, agentId: string, executorId: string): void {
    this.executors.delete(executorKey(frameworkId, agentId, executorId));
  }

  removeExecutorsOf(frameworkId: string): void {
    for (const [k, e] of this.executors) if (e.frameworkId === frameworkId) this.executors.delete(k);
  }

  allExecutors(): GroupExecutorRecord[] {
    return [...this.executors.values()];
  }

  /** Resources an agent gives to live tasks and to the executors of groups with a live task. */
  usedOn(agentId: string): Bag {
    let used = EMPTY;
    for (const t of this.tasks.values()) if (t.agentId === agentId && !isTerminal(t.state)) used = add(used, t.resources);
    for (const e of this.executors.values()) {
      if (e.agentId !== agentId) continue;
      const live = e.taskIds.some((id) => {
        const t = this.get(e.frameworkId, id);
        return t && !isTerminal(t.state);
      });
      if (live) used = add(used, e.resources);
    }
    return used;
  }
}
