import type { CommandInfo, ExecutorInfo, Filters, FrameworkInfo, Id, KillPolicy, Operation, TaskInfo } from './mesos-types';
import { Shape, isObject, join } from './json-shape';
import { checkExecutorInfo, checkFilters, checkFrameworkInfo, checkTaskInfo } from './messages';
import { isValidStatusUuid } from './status-uuid';

/** A scheduler Call after edge validation: everything past this point trusts its shape. */
export type SchedulerCall =
  | { type: 'SUBSCRIBE'; frameworkId?: string; subscribe: { frameworkInfo: FrameworkInfo; suppressedRoles: string[] } }
  | { type: 'TEARDOWN'; frameworkId: string }
  | { type: 'ACCEPT'; frameworkId: string; offerIds: string[]; operations: Operation[]; filters: Filters }
  | { type: 'DECLINE'; frameworkId: string; offerIds: string[]; filters: Filters }
  | { type: 'REVIVE'; frameworkId: string; roles: string[] }
  | { type: 'SUPPRESS'; frameworkId: string; roles: string[] }
  | { type: 'KILL'; frameworkId: string; taskId: string; agentId?: string; killPolicy?: KillPolicy }
  | { type: 'SHUTDOWN'; frameworkId: string; executorId: string; agentId: string }
  | { type: 'ACKNOWLEDGE'; frameworkId: string; agentId: string; taskId: string; uuid: string }
  | { type: 'RECONCILE'; frameworkId: string; tasks: Array<{ taskId: string; agentId?: string }> }
  | { type: 'MESSAGE'; frameworkId: string; agentId: string; executorId: string; data: string }
  | { type: 'REQUEST'; frameworkId: string }
  /** Call types a real master knows but the local cluster does not implement (inverse offers, operations). */
  | { type: 'UNSUPPORTED'; frameworkId: string; name: string }
  | { type: 'UNKNOWN'; frameworkId: string };

export type CallParseResult = { ok: true; call: SchedulerCall } | { ok: false; status: 400; message: string };

const CALL_TYPES = [
  'UNKNOWN', 'SUBSCRIBE', 'TEARDOWN', 'ACCEPT', 'DECLINE', 'ACCEPT_INVERSE_OFFERS', 'DECLINE_INVERSE_OFFERS', 'REVIVE',
  'KILL', 'SHUTDOWN', 'ACKNOWLEDGE', 'ACKNOWLEDGE_OPERATION_STATUS', 'RECONCILE', 'RECONCILE_OPERATIONS', 'MESSAGE',
  'REQUEST', 'SUPPRESS', 'UPDATE_FRAMEWORK',
] as const;

const UNSUPPORTED = new Set(['ACCEPT_INVERSE_OFFERS', 'DECLINE_INVERSE_OFFERS', 'ACKNOWLEDGE_OPERATION_STATUS', 'RECONCILE_OPERATIONS', 'UPDATE_FRAMEWORK']);

const bad = (message: string): CallParseResult => ({ ok: false, status: 400, message });

/**
 * Parses a request body the way a master does: JSON first ("Failed to parse body into JSON"), then
 * the protobuf conversion (missing required fields, wrong JSON types), then the scheduler call
 * validation ("Failed to validate scheduler::Call"). Messages follow the real master's wording.
 */
export function parseSchedulerCall(body: string): CallParseResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    return bad(`Failed to parse body into JSON: ${(e as Error).message}`);
  }
  if (!isObject(json)) return bad('Failed to convert JSON into Call protobuf: Expecting a JSON object');
  const s = new Shape();
  const type = s.enumName(json, 'type', '', CALL_TYPES) ?? 'UNKNOWN';
  const frameworkId = s.id(json, 'framework_id', '');
  const payload = readPayload(s, json, type);
  if (!s.problems.ok) return bad(`Failed to convert JSON into Call protobuf: ${s.problems.describe()}`);
  const invalid = (m: string): CallParseResult => bad(`Failed to validate scheduler::Call: ${m}`);

  if (type === 'SUBSCRIBE') {
    if (!payload) return invalid("Expecting 'subscribe' to be present");
    const frameworkInfo = payload.framework_info as unknown as FrameworkInfo;
    if ((frameworkInfo.id?.value ?? undefined) !== frameworkId) return invalid("'framework_id' differs from 'subscribe.framework_info.id'");
    const suppressedRoles = Array.isArray(payload.suppressed_roles) ? (payload.suppressed_roles as string[]) : [];
    return { ok: true, call: { type, frameworkId, subscribe: { frameworkInfo, suppressedRoles } } };
  }
  if (frameworkId === undefined) return invalid("Expecting 'framework_id' to be present");
  const needs = (name: string) => invalid(`Expecting '${name}' to be present`);
  const ids = (list: unknown): string[] => (list as Id[] | undefined ?? []).map((i) => i.value);

  switch (type) {
    case 'TEARDOWN':
      return { ok: true, call: { type, frameworkId } };
    case 'ACCEPT':
      if (!payload) return needs('accept');
      return { ok: true, call: { type, frameworkId, offerIds: ids(payload.offer_ids), operations: (payload.operations ?? []) as Operation[], filters: (payload.filters ?? {}) as Filters } };
    case 'DECLINE':
      if (!payload) return needs('decline');
      return { ok: true, call: { type, frameworkId, offerIds: ids(payload.offer_ids), filters: (payload.filters ?? {}) as Filters } };
    case 'REVIVE':
    case 'SUPPRESS':
      return { ok: true, call: { type, frameworkId, roles: readRoles(payload) } };
    case 'KILL':
      if (!payload) return needs('kill');
      return {
        ok: true,
        call: { type, frameworkId, taskId: (payload.task_id as Id).value, agentId: (payload.agent_id as Id | undefined)?.value, killPolicy: payload.kill_policy as KillPolicy | undefined },
      };
    case 'SHUTDOWN':
      if (!payload) return needs('shutdown');
      return { ok: true, call: { type, frameworkId, executorId: (payload.executor_id as Id).value, agentId: (payload.agent_id as Id).value } };
    case 'ACKNOWLEDGE':
      if (!payload) return needs('acknowledge');
      if (!isValidStatusUuid(payload.uuid)) return invalid('Not a valid UUID');
      return { ok: true, call: { type, frameworkId, agentId: (payload.agent_id as Id).value, taskId: (payload.task_id as Id).value, uuid: payload.uuid } };
    case 'RECONCILE':
      if (!payload) return needs('reconcile');
      return {
        ok: true,
        call: { type, frameworkId, tasks: ((payload.tasks ?? []) as Array<{ task_id: Id; agent_id?: Id }>).map((t) => ({ taskId: t.task_id.value, agentId: t.agent_id?.value })) },
      };
    case 'MESSAGE':
      if (!payload) return needs('message');
      return { ok: true, call: { type, frameworkId, agentId: (payload.agent_id as Id).value, executorId: (payload.executor_id as Id).value, data: String(payload.data ?? '') } };
    case 'REQUEST':
      if (!payload) return needs('request');
      return { ok: true, call: { type, frameworkId } };
    case 'UNKNOWN':
      return { ok: true, call: { type, frameworkId } };
    default:
      if (UNSUPPORTED.has(type)) return { ok: true, call: { type: 'UNSUPPORTED', frameworkId, name: type } };
      return { ok: true, call: { type: 'UNKNOWN', frameworkId } };
  }
}

function readRoles(payload: Record<string, unknown> | undefined): string[] {
  if (!payload) return [];
  if (Array.isArray(payload.roles)) return payload.roles as string[];
  return [];
}

/** Checks the payload field named after the call type and returns it when present. */
function readPayload(s: Shape, json: Record<string, unknown>, type: (typeof CALL_TYPES)[number]): Record<string, unknown> | undefined {
  const key = type.toLowerCase();
  const p = s.object(json, key, '');
  if (!p) return undefined;
  switch (type) {
    case 'SUBSCRIBE': {
      const fi = s.object(p, 'framework_info', key, true);
      if (fi) checkFrameworkInfo(s, fi, join(key, 'framework_info'));
      s.stringArray(p, 'suppressed_roles', key);
      break;
    }
    case 'ACCEPT': {
      s.idArray(p, 'offer_ids', key);
      s.array(p, 'operations', key).forEach((op, i) => checkOperation(s, op, `${key}.operations[${i}]`));
      checkFilters(s, p, key);
      break;
    }
    case 'DECLINE':
      s.idArray(p, 'offer_ids', key);
      checkFilters(s, p, key);
      break;
    case 'REVIVE':
    case 'SUPPRESS':
      s.stringArray(p, 'roles', key);
      // REVIVE/SUPPRESS take `roles` (an array); a single `role` is the docs' erratum, ignored by masters.
      break;
    case 'KILL':
      s.id(p, 'task_id', key, true);
      s.id(p, 'agent_id', key);
      break;
    case 'SHUTDOWN':
      s.id(p, 'executor_id', key, true);
      s.id(p, 'agent_id', key, true);
      break;
    case 'ACKNOWLEDGE':
      s.id(p, 'agent_id', key, true);
      s.id(p, 'task_id', key, true);
      s.string(p, 'uuid', key, true);
      break;
    case 'RECONCILE':
      s.array(p, 'tasks', key).forEach((t, i) => {
        const path = `${key}.tasks[${i}]`;
        if (!isObject(t)) return void s.problems.invalid.push(`Expecting a JSON object for field '${path}'`);
        s.id(t, 'task_id', path, true);
        s.id(t, 'agent_id', path);
      });
      break;
    case 'MESSAGE':
      s.id(p, 'agent_id', key, true);
      s.id(p, 'executor_id', key, true);
      s.string(p, 'data', key, true);
      break;
    default:
      break;
  }
  return p;
}

const OPERATION_TYPES = ['UNKNOWN', 'LAUNCH', 'LAUNCH_GROUP', 'RESERVE', 'UNRESERVE', 'CREATE', 'DESTROY', 'GROW_VOLUME', 'SHRINK_VOLUME', 'CREATE_DISK', 'DESTROY_DISK'] as const;

function checkOperation(s: Shape, op: unknown, path: string): void {
  if (!isObject(op)) return void s.problems.invalid.push(`Expecting a JSON object for field '${path}'`);
  const type = s.enumName(op, 'type', path, OPERATION_TYPES);
  if (type === 'LAUNCH') {
    const launch = s.object(op, 'launch', path);
    if (launch) s.array(launch, 'task_infos', join(path, 'launch')).forEach((t, i) => checkTaskInfo(s, t, `${path}.launch.task_infos[${i}]`));
  } else if (type === 'LAUNCH_GROUP') {
    const lg = s.object(op, 'launch_group', path);
    if (lg) {
      const ex = s.object(lg, 'executor', join(path, 'launch_group'), true);
      if (ex) checkExecutorInfo(s, ex, `${path}.launch_group.executor`);
      const tg = s.object(lg, 'task_group', join(path, 'launch_group'), true);
      if (tg) s.array(tg, 'tasks', `${path}.launch_group.task_group`).forEach((t, i) => checkTaskInfo(s, t, `${path}.launch_group.task_group.tasks[${i}]`));
    }
  }
}

export type { CommandInfo, ExecutorInfo, TaskInfo };
