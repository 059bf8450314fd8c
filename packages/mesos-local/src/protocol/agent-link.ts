import type { Attribute, ExecutorInfo, FrameworkInfo, KillPolicy, Resource, TaskInfo, TaskState, TaskStatus } from './mesos-types';

/**
 * The local cluster's own agent <-> master protocol (not part of Mesos, which uses libprocess
 * messages here). It rides on HTTP like the scheduler API so agents and masters can live in
 * different processes: an agent POSTs REGISTER and keeps the response open as a RecordIO stream of
 * master commands; it sends its status updates with separate POSTs.
 */
export const AGENT_REGISTER_PATH = '/_local/agent/register';
export const AGENT_UPDATE_PATH = '/_local/agent/update';
export const AGENT_LINK_HEADER = 'Local-Agent-Link-Id';

/** What an agent knows about one of its tasks, sent on (re-)registration so a new master learns it. */
export interface AgentTaskReport {
  framework_id: string;
  task: TaskInfo;
  executor_id: string;
  /** The executor of a LAUNCH_GROUP task; absent for command tasks. */
  group_executor?: ExecutorInfo;
  state: TaskState;
  latest_status?: TaskStatus;
  directory: string;
}

export interface AgentRegistration {
  /** Absent on first registration: the master assigns the id. */
  agent_id?: string;
  hostname: string;
  resources: Resource[];
  attributes: Attribute[];
  work_dir: string;
  frameworks: FrameworkInfo[];
  tasks: AgentTaskReport[];
}

/** Agent -> master: one status update (with its uuid) and the task's latest state on the agent. */
export interface AgentStatusUpdate {
  agent_id: string;
  framework_id: string;
  status: TaskStatus;
  latest_state: TaskState;
  /** The task's sandbox, so the master can show it in /master/state. */
  directory?: string;
}

/** Agent -> master: the executor of a task group ended (the master turns it into FAILURE). */
export interface AgentExecutorExited {
  agent_id: string;
  framework_id: string;
  executor_id: string;
  status: number;
}

export type AgentPost =
  | { type: 'STATUS_UPDATE'; update: AgentStatusUpdate }
  | { type: 'EXECUTOR_EXITED'; exited: AgentExecutorExited };

/** Master -> agent commands, one RecordIO record each on the link stream. */
export type AgentCommand =
  | { type: 'REGISTERED'; agent_id: string; master_id: string }
  | { type: 'RUN_TASK'; framework: FrameworkInfo; task: TaskInfo }
  | { type: 'RUN_TASK_GROUP'; framework: FrameworkInfo; executor: ExecutorInfo; tasks: TaskInfo[] }
  | { type: 'KILL_TASK'; framework_id: string; task_id: string; kill_policy?: KillPolicy }
  | { type: 'ACKNOWLEDGE'; framework_id: string; task_id: string; uuid: string }
  | { type: 'SHUTDOWN_FRAMEWORK'; framework_id: string }
  | { type: 'UPDATE_FRAMEWORK'; framework: FrameworkInfo }
  /** The master refuses this agent (removed as gone): it must stop and kill its tasks. */
  | { type: 'SHUTDOWN'; message: string };
