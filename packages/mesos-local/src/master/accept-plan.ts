import type { ExecutorInfo, Operation, TaskInfo } from '../protocol/mesos-types';
import { Bag, EMPTY, add, contains, fromResources, shortfall, subtract, toResources } from '../resources/bag';

/** An offer as ACCEPT validation needs it. */
export interface OfferView { id: string; frameworkId: string; agentId: string; role: string; resources: Bag }

export type Launch =
  | { kind: 'task'; task: TaskInfo; resources: Bag }
  | { kind: 'group'; executor: ExecutorInfo; executorResources: Bag; tasks: Array<{ task: TaskInfo; resources: Bag }> };

export interface TaskRejection { task: TaskInfo; reason: 'REASON_TASK_INVALID' | 'REASON_TASK_GROUP_INVALID'; message: string }

export type AcceptPlan =
  /** The offers themselves are bad: every task becomes TASK_DROPPED/TASK_LOST, valid offers go back. */
  | { kind: 'invalid-offers'; error: string; validOfferIds: string[]; tasks: TaskInfo[] }
  | { kind: 'ok'; agentId: string; role: string; offerIds: string[]; launches: Launch[]; rejections: TaskRejection[]; unused: Bag; ignoredOperations: string[] };

export interface AcceptInput {
  frameworkId: string;
  offerIds: readonly string[];
  operations: readonly Operation[];
  lookupOffer(id: string): OfferView | undefined;
  /** Task ids the framework already uses (live tasks), for the duplicate-id check. */
  taskIdInUse(taskId: string): boolean;
  /** Executor ids of live task groups on the agent, for the executor reuse check. */
  executorInUse(agentId: string, executorId: string): boolean;
}

/**
 * Validates an ACCEPT and works out what to launch, pure: offers first (all must be known, belong
 * to the framework, come from one agent and one role), then each operation in order, each task
 * consuming from what the offers still hold. Mirrors the checks of Mesos' master validation.
 */
export function planAccept(input: AcceptInput): AcceptPlan {
  const tasksOf = () => input.operations.flatMap((op) => (op.type === 'LAUNCH' ? op.launch?.task_infos ?? [] : op.type === 'LAUNCH_GROUP' ? op.launch_group?.task_group.tasks ?? [] : []));
  const offers: OfferView[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  if (input.offerIds.length === 0) errors.push('No offers specified');
  for (const id of input.offerIds) {
    if (seen.has(id)) {
      errors.push(`Duplicate offer ${id} in offer list`);
      continue;
    }
    seen.add(id);
    const offer = input.lookupOffer(id);
    if (!offer) errors.push(`Offer ${id} is no longer valid`);
    else if (offer.frameworkId !== input.frameworkId) errors.push(`Offer ${id} has invalid framework ${offer.frameworkId} while framework ${input.frameworkId} is expected`);
    else offers.push(offer);
  }
  if (!errors.length) {
    const first = offers[0];
    const otherAgent = offers.find((o) => o.agentId !== first.agentId);
    if (otherAgent) errors.push(`Aggregated offers must belong to one single agent. Offer ${otherAgent.id} uses agent ${otherAgent.agentId} and offer ${first.id} uses agent ${first.agentId}`);
    const otherRole = offers.find((o) => o.role !== first.role);
    if (otherRole) errors.push(`Aggregated offers must be allocated to the same role. Offer ${otherRole.id} uses role ${otherRole.role} and offer ${first.id} uses role ${first.role}`);
  }
  if (errors.length) {
    return { kind: 'invalid-offers', error: errors.join('; '), validOfferIds: offers.filter((o) => o.frameworkId === input.frameworkId).map((o) => o.id), tasks: tasksOf() };
  }

  const agentId = offers[0].agentId;
  let available = offers.reduce((b, o) => add(b, o.resources), EMPTY);
  const launches: Launch[] = [];
  const rejections: TaskRejection[] = [];
  const ignored: string[] = [];
  const newIds = new Set<string>();
  const newExecutors = new Set<string>();

  const checkTask = (t: TaskInfo, inGroup: boolean): { resources: Bag; error?: string } => {
    const parsed = fromResources(t.resources);
    const id = t.task_id.value;
    if (!id || /[\x00-\x1f\x7f/\\]/.test(id)) return { resources: parsed.bag, error: `TaskID '${id}' contains invalid characters` };
    if (input.taskIdInUse(id) || newIds.has(id)) return { resources: parsed.bag, error: `Task has duplicate ID: ${id}` };
    if (t.agent_id.value !== agentId) return { resources: parsed.bag, error: `Task uses invalid agent: ${t.agent_id.value}` };
    if (parsed.problems.length) return { resources: parsed.bag, error: `Task uses invalid resources: ${parsed.problems.join('; ')}` };
    if (inGroup) {
      if (t.executor) return { resources: parsed.bag, error: "'TaskInfo.executor' must not be set for a task in a task group" };
      if (!t.command) return { resources: parsed.bag, error: "'TaskInfo.command' must be set for a task in a task group" };
    } else {
      if (!!t.command === !!t.executor) return { resources: parsed.bag, error: 'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present' };
      if (t.executor) return { resources: parsed.bag, error: 'Custom executors are not supported by the local cluster: use CommandInfo, or LAUNCH_GROUP with a DEFAULT executor' };
    }
    if (!t.command?.value) return { resources: parsed.bag, error: "Task's 'CommandInfo.value' must be set" };
    return { resources: parsed.bag };
  };

  for (const op of input.operations) {
    if (op.type === 'LAUNCH') {
      for (const task of op.launch?.task_infos ?? []) {
        const checked = checkTask(task, false);
        let error = checked.error;
        if (!error && !contains(available, checked.resources)) {
          error = `Task uses more resources ${describeBag(checked.resources)} than available ${describeBag(available)} (${shortfall(available, checked.resources).join('; ')})`;
        }
        if (error) {
          rejections.push({ task, reason: 'REASON_TASK_INVALID', message: error });
          continue;
        }
        available = subtract(available, checked.resources);
        newIds.add(task.task_id.value);
        launches.push({ kind: 'task', task, resources: checked.resources });
      }
    } else if (op.type === 'LAUNCH_GROUP' && op.launch_group) {
      const { executor, task_group } = op.launch_group;
      const tasks = task_group.tasks ?? [];
      const exec = fromResources(executor.resources);
      let error: string | undefined;
      if (executor.type !== 'DEFAULT') error = "'ExecutorInfo.type' must be 'DEFAULT' for a task group";
      else if (executor.command) error = "'ExecutorInfo.command' must not be set for 'DEFAULT' executor";
      else if (tasks.length === 0) error = 'Task group cannot be empty';
      else if (exec.problems.length) error = `Executor uses invalid resources: ${exec.problems.join('; ')}`;
      else if (input.executorInUse(agentId, executor.executor_id.value) || newExecutors.has(executor.executor_id.value)) error = `Executor '${executor.executor_id.value}' is already in use on agent ${agentId}`;
      const checked = tasks.map((task) => ({ task, ...checkTask(task, true) }));
      error ??= checked.find((c) => c.error)?.error;
      const groupIds = new Set<string>();
      for (const c of checked) {
        if (!error && groupIds.has(c.task.task_id.value)) error = `Task has duplicate ID: ${c.task.task_id.value}`;
        groupIds.add(c.task.task_id.value);
      }
      const total = checked.reduce((b, c) => add(b, c.resources), exec.bag);
      if (!error && !contains(available, total)) {
        error = `Task group uses more resources ${describeBag(total)} than available ${describeBag(available)} (${shortfall(available, total).join('; ')})`;
      }
      if (error) {
        for (const task of tasks) rejections.push({ task, reason: 'REASON_TASK_GROUP_INVALID', message: error });
        continue;
      }
      available = subtract(available, total);
      checked.forEach((c) => newIds.add(c.task.task_id.value));
      newExecutors.add(executor.executor_id.value);
      launches.push({ kind: 'group', executor, executorResources: exec.bag, tasks: checked.map((c) => ({ task: c.task, resources: c.resources })) });
    } else {
      ignored.push(op.type ?? 'UNKNOWN');
    }
  }
  return { kind: 'ok', agentId, role: offers[0].role, offerIds: offers.map((o) => o.id), launches, rejections, unused: available, ignoredOperations: ignored };
}

function describeBag(bag: Bag): string {
  return toResources(bag).map((r) => (r.scalar ? `${r.name}:${r.scalar.value}` : r.ranges ? `${r.name}:[${r.ranges.range.map((x) => `${x.begin}-${x.end}`).join(',')}]` : r.name)).join(';') || 'nothing';
}
