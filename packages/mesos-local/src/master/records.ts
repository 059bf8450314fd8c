import type { Attribute, ExecutorInfo, FrameworkInfo, Resource, TaskInfo, TaskState, TaskStatus } from '../protocol/mesos-types';
import type { Bag } from '../resources/bag';
import type { RecordStream } from './http/record-stream';
import type { FrameworkTraits } from './framework-roles';

/** The master's in-memory records. Plain data; the Master class owns every change to them. */

export interface FrameworkRecord {
  id: string;
  info: FrameworkInfo;
  traits: FrameworkTraits;
  suppressedRoles: Set<string>;
  /** The subscription's event stream; null while disconnected. */
  stream: RecordStream | null;
  /** `recovered`: known only from re-registering agents after a master failover, never subscribed here. */
  state: 'connected' | 'disconnected' | 'recovered';
  registeredTime: number;
  reregisteredTime?: number;
  unregisteredTime?: number;
  failoverTimer?: NodeJS.Timeout;
}

export interface AgentRecord {
  id: string;
  hostname: string;
  workDir: string;
  total: Bag;
  totalJson: Resource[];
  attributes: Attribute[];
  link: RecordStream | null;
  registeredTime: number;
  reregisteredTime?: number;
  disconnectTimer?: NodeJS.Timeout;
}

export interface TaskRecord {
  frameworkId: string;
  taskId: string;
  agentId: string;
  /** The executor: the task id for command tasks (as Mesos' command executor), the group's executor otherwise. */
  executorId: string;
  groupExecutorId?: string;
  info: TaskInfo;
  resources: Bag;
  state: TaskState;
  statuses: TaskStatus[];
  /** The update last forwarded to the framework, which its acknowledgement refers to. */
  statusUpdateState?: TaskState;
  statusUpdateUuid?: string;
  directory?: string;
  /** Seconds since the epoch of the last state change, for /master/state. */
  changedAt: number;
}

export interface GroupExecutorRecord {
  frameworkId: string;
  agentId: string;
  executorId: string;
  info: ExecutorInfo;
  resources: Bag;
  taskIds: string[];
}

export interface OfferRecord {
  id: string;
  frameworkId: string;
  agentId: string;
  role: string;
  resources: Bag;
  createdAt: number;
  timeout?: NodeJS.Timeout;
}

export interface CompletedFramework { id: string; info: FrameworkInfo; removedAt: number; reason: string }

export const taskKey = (frameworkId: string, taskId: string) => `${frameworkId}\u0000${taskId}`;
export const executorKey = (frameworkId: string, agentId: string, executorId: string) => `${frameworkId}\u0000${agentId}\u0000${executorId}`;
