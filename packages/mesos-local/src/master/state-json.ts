import type { MasterSnapshot } from './views';
import type { FrameworkRecord, TaskRecord } from './records';
import { MESOS_VERSION } from '../protocol/master-info';
import { attributesToV0 } from '../resources/attributes';
import { Bag, EMPTY, add, toResources } from '../resources/bag';
import { toV0 } from '../resources/v0';
import { isTerminal } from '../protocol/task-states';

/** Agents do not listen on a port of their own; this is what state reports, as Mesos' default. */
export const AGENT_NOMINAL_PORT = 5051;

const ns = (ms: number) => ({ nanoseconds: Math.round(ms * 1e6) });
const secs = (ms: number) => ms / 1000;

function v0Task(t: TaskRecord): Record<string, unknown> {
  return {
    id: t.taskId,
    name: t.info.name,
    framework_id: t.frameworkId,
    executor_id: t.groupExecutorId ?? '',
    slave_id: t.agentId,
    state: t.state,
    resources: toV0(t.resources),
    statuses: t.statuses.map((s) => ({ state: s.state, timestamp: s.timestamp })),
    // Not in Mesos' master state (it is in the agent's): where the task's sandbox is on this machine.
    directory: t.directory,
  };
}

function v1Task(t: TaskRecord): Record<string, unknown> {
  return {
    name: t.info.name,
    task_id: { value: t.taskId },
    framework_id: { value: t.frameworkId },
    ...(t.groupExecutorId ? { executor_id: { value: t.groupExecutorId } } : {}),
    agent_id: { value: t.agentId },
    state: t.state,
    resources: t.info.resources ?? [],
    statuses: t.statuses,
    ...(t.statusUpdateState ? { status_update_state: t.statusUpdateState } : {}),
    ...(t.statusUpdateUuid ? { status_update_uuid: t.statusUpdateUuid } : {}),
  };
}

function frameworkUsed(s: MasterSnapshot, fwId: string): Bag {
  let used = EMPTY;
  for (const t of s.tasks) if (t.frameworkId === fwId && !isTerminal(t.state) && t.state !== 'TASK_UNREACHABLE' && t.state !== 'TASK_GONE_BY_OPERATOR') used = add(used, t.resources);
  for (const e of s.executors) if (e.frameworkId === fwId) used = add(used, e.resources);
  return used;
}

function frameworkOffered(s: MasterSnapshot, fwId: string): Bag {
  return s.offers.filter((o) => o.offer.frameworkId === fwId).reduce((b, o) => add(b, o.offer.resources), EMPTY);
}

function v0Framework(s: MasterSnapshot, f: FrameworkRecord): Record<string, unknown> {
  const used = frameworkUsed(s, f.id);
  return {
    id: f.id,
    name: f.info.name,
    user: f.info.user,
    hostname: f.info.hostname ?? '',
    principal: f.info.principal,
    active: f.state === 'connected',
    connected: f.state === 'connected',
    recovered: f.state === 'recovered',
    role: f.traits.roles[0] ?? '*',
    roles: f.traits.roles,
    suppressed_roles: [...f.suppressedRoles],
    capabilities: [...f.traits.capabilities],
    failover_timeout: f.info.failover_timeout ?? 0,
    checkpoint: f.info.checkpoint ?? false,
    registered_time: secs(f.registeredTime),
    ...(f.reregisteredTime ? { reregistered_time: secs(f.reregisteredTime) } : {}),
    unregistered_time: f.unregisteredTime ? secs(f.unregisteredTime) : 0,
    resources: toV0(used),
    used_resources: toV0(used),
    offered_resources: toV0(frameworkOffered(s, f.id)),
    tasks: s.tasks.filter((t) => t.frameworkId === f.id && t.state !== 'TASK_UNREACHABLE').map(v0Task),
    unreachable_tasks: s.tasks.filter((t) => t.frameworkId === f.id && t.state === 'TASK_UNREACHABLE').map(v0Task),
    completed_tasks: s.completedTasks.filter((t) => t.frameworkId === f.id).map(v0Task),
    offers: s.offers.filter((o) => o.offer.frameworkId === f.id).map((o) => ({
      id: o.offer.id, framework_id: f.id, slave_id: o.offer.agentId, resources: toV0(o.offer.resources), allocation_info: { role: o.offer.role },
    })),
    executors: s.executors.filter((e) => e.frameworkId === f.id).map((e) => ({ executor_id: e.executorId, slave_id: e.agentId, resources: toV0(e.resources), type: 'DEFAULT' })),
  };
}

/** `GET /master/state`: Mesos' v0 JSON state, plus each task's sandbox `directory`. */
export function renderMasterState(s: MasterSnapshot): Record<string, unknown> {
  const leader = s.leader;
  return {
    version: MESOS_VERSION,
    id: s.id,
    pid: s.info.pid,
    hostname: s.info.hostname,
    start_time: secs(s.startedAt),
    ...(s.electedAt ? { elected_time: secs(s.electedAt) } : {}),
    ...(leader ? { leader: leader.pid, leader_info: leader } : {}),
    activated_slaves: s.agents.filter((a) => a.agent.link).length,
    deactivated_slaves: s.agents.filter((a) => !a.agent.link).length,
    unreachable_slaves: s.unreachableAgents.length,
    slaves: s.agents.map(({ agent: a, used, offered }) => ({
      id: a.id,
      pid: `slave(1)@${s.info.address.ip}:${AGENT_NOMINAL_PORT}`,
      hostname: a.hostname,
      port: AGENT_NOMINAL_PORT,
      registered_time: secs(a.registeredTime),
      ...(a.reregisteredTime ? { reregistered_time: secs(a.reregisteredTime) } : {}),
      resources: toV0(a.total),
      used_resources: toV0(used),
      offered_resources: toV0(offered),
      unreserved_resources: toV0(a.total),
      reserved_resources: {},
      attributes: attributesToV0(a.attributes),
      active: !!a.link,
      version: MESOS_VERSION,
      // Not in Mesos: where this agent keeps its sandboxes.
      work_dir: a.workDir,
    })),
    recovered_slaves: s.recoveringAgents.map((e) => ({ id: e.id, hostname: e.hostname })),
    frameworks: s.frameworks.map((f) => v0Framework(s, f)),
    completed_frameworks: s.completedFrameworks.map((c) => ({
      id: c.id, name: c.info.name, user: c.info.user, active: false, connected: false, unregistered_time: secs(c.removedAt),
      tasks: [], completed_tasks: s.completedTasks.filter((t) => t.frameworkId === c.id).map(v0Task),
    })),
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
}

function v1Agents(s: MasterSnapshot): Record<string, unknown> {
  return {
    agents: s.agents.map(({ agent: a, used, offered }) => ({
      agent_info: { hostname: a.hostname, id: { value: a.id }, port: AGENT_NOMINAL_PORT, resources: a.totalJson, attributes: a.attributes },
      active: !!a.link,
      deactivated: false,
      version: MESOS_VERSION,
      pid: `slave(1)@${s.info.address.ip}:${AGENT_NOMINAL_PORT}`,
      registered_time: ns(a.registeredTime),
      ...(a.reregisteredTime ? { reregistered_time: ns(a.reregisteredTime) } : {}),
      total_resources: toResources(a.total),
      allocated_resources: toResources(used),
      offered_resources: toResources(offered),
      capabilities: [{ type: 'MULTI_ROLE' }, { type: 'TASK_KILLING_STATE' }],
    })),
    recovered_agents: s.recoveringAgents.map((e) => ({ hostname: e.hostname, id: { value: e.id } })),
  };
}

/** `POST /api/v1 {"type":"GET_STATE"}`. */
export function renderGetState(s: MasterSnapshot): Record<string, unknown> {
  return {
    type: 'GET_STATE',
    get_state: {
      get_tasks: {
        tasks: s.tasks.filter((t) => t.state !== 'TASK_UNREACHABLE').map(v1Task),
        unreachable_tasks: s.tasks.filter((t) => t.state === 'TASK_UNREACHABLE').map(v1Task),
        completed_tasks: s.completedTasks.map(v1Task),
      },
      get_executors: {
        executors: s.executors.map((e) => ({ executor_info: e.info, agent_id: { value: e.agentId } })),
      },
      get_frameworks: {
        frameworks: s.frameworks.map((f) => ({
          framework_info: f.info,
          active: f.state === 'connected',
          connected: f.state === 'connected',
          recovered: f.state === 'recovered',
          registered_time: ns(f.registeredTime),
          ...(f.reregisteredTime ? { reregistered_time: ns(f.reregisteredTime) } : {}),
          ...(f.unregisteredTime ? { unregistered_time: ns(f.unregisteredTime) } : {}),
          offers: s.offers.filter((o) => o.offer.frameworkId === f.id).map((o) => o.json),
          allocated_resources: toResources(frameworkUsed(s, f.id)),
          offered_resources: toResources(frameworkOffered(s, f.id)),
        })),
        completed_frameworks: s.completedFrameworks.map((c) => ({ framework_info: c.info, active: false, connected: false, recovered: false })),
      },
      get_agents: v1Agents(s),
    },
  };
}

/** `POST /api/v1 {"type":"GET_AGENTS"}`. */
export function renderGetAgents(s: MasterSnapshot): Record<string, unknown> {
  return { type: 'GET_AGENTS', get_agents: v1Agents(s) };
}

