/**
 * The Mesos v1 JSON shapes the local cluster reads and writes (proto3-style JSON: snake_case
 * fields, enums by name, bytes as Base64). Only the fields the local cluster uses are typed;
 * unknown fields pass through untouched, as a real master ignores them.
 */
export interface Id { value: string }

export interface Range { begin: number; end: number }

export type ValueType = 'SCALAR' | 'RANGES' | 'SET' | 'TEXT';

export interface Resource {
  name: string;
  type: ValueType;
  scalar?: { value: number };
  ranges?: { range: Range[] };
  set?: { item: string[] };
  role?: string;
  allocation_info?: { role?: string };
  [extra: string]: unknown;
}

export interface Attribute {
  name: string;
  type: ValueType;
  scalar?: { value: number };
  ranges?: { range: Range[] };
  set?: { item: string[] };
  text?: { value: string };
}

export interface Capability { type: string }

export interface FrameworkInfo {
  user: string;
  name: string;
  id?: Id;
  failover_timeout?: number;
  checkpoint?: boolean;
  role?: string;
  roles?: string[];
  hostname?: string;
  principal?: string;
  capabilities?: Capability[];
  [extra: string]: unknown;
}

export interface EnvironmentVariable { name: string; type?: string; value?: string }

export interface CommandUri {
  value: string;
  executable?: boolean;
  extract?: boolean;
  cache?: boolean;
  output_file?: string;
}

export interface CommandInfo {
  shell?: boolean;
  value?: string;
  arguments?: string[];
  environment?: { variables?: EnvironmentVariable[] };
  uris?: CommandUri[];
  user?: string;
}

/** Durations in JSON are `{"nanoseconds": n}`; proto3 JSON may spell the int64 as a string. */
export interface DurationInfo { nanoseconds: number | string }

export interface KillPolicy { grace_period?: DurationInfo }

export interface ExecutorInfo {
  type?: 'UNKNOWN' | 'DEFAULT' | 'CUSTOM';
  executor_id: Id;
  framework_id?: Id;
  command?: CommandInfo;
  resources?: Resource[];
  name?: string;
  shutdown_grace_period?: DurationInfo;
  [extra: string]: unknown;
}

export interface TaskInfo {
  name: string;
  task_id: Id;
  agent_id: Id;
  resources?: Resource[];
  command?: CommandInfo;
  executor?: ExecutorInfo;
  kill_policy?: KillPolicy;
  [extra: string]: unknown;
}

export type TaskState =
  | 'TASK_STAGING' | 'TASK_STARTING' | 'TASK_RUNNING' | 'TASK_KILLING' | 'TASK_FINISHED' | 'TASK_FAILED'
  | 'TASK_KILLED' | 'TASK_ERROR' | 'TASK_LOST' | 'TASK_DROPPED' | 'TASK_UNREACHABLE' | 'TASK_GONE'
  | 'TASK_GONE_BY_OPERATOR' | 'TASK_UNKNOWN';

export type StatusSource = 'SOURCE_MASTER' | 'SOURCE_AGENT' | 'SOURCE_EXECUTOR';

export interface TaskStatus {
  task_id: Id;
  state: TaskState;
  message?: string;
  source?: StatusSource;
  reason?: string;
  data?: string;
  agent_id?: Id;
  executor_id?: Id;
  timestamp?: number;
  uuid?: string;
  healthy?: boolean;
}

export interface Filters { refuse_seconds?: number }

export interface Offer {
  id: Id;
  framework_id: Id;
  agent_id: Id;
  hostname: string;
  allocation_info: { role: string };
  resources: Resource[];
  attributes: Attribute[];
  executor_ids?: Id[];
}

export interface Operation {
  type: string;
  launch?: { task_infos: TaskInfo[] };
  launch_group?: { executor: ExecutorInfo; task_group: { tasks: TaskInfo[] } };
  [extra: string]: unknown;
}

export interface MasterInfoJson {
  id: string;
  ip: number;
  port: number;
  pid: string;
  hostname: string;
  version: string;
  address: { hostname: string; ip: string; port: number };
}

/** A scheduler Event exactly as it goes on the wire. */
export type SchedulerEvent =
  | { type: 'SUBSCRIBED'; subscribed: { framework_id: Id; heartbeat_interval_seconds: number; master_info: MasterInfoJson } }
  | { type: 'OFFERS'; offers: { offers: Offer[] } }
  | { type: 'RESCIND'; rescind: { offer_id: Id } }
  | { type: 'UPDATE'; update: { status: TaskStatus } }
  | { type: 'FAILURE'; failure: { agent_id?: Id; executor_id?: Id; status?: number } }
  | { type: 'ERROR'; error: { message: string } }
  | { type: 'HEARTBEAT' };
