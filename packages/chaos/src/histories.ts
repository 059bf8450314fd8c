/**
 * What the harness gathers after a run, as plain data: the checker judges only these, so it can be
 * fed small synthetic histories in tests. Times are epoch milliseconds.
 */

import type { AgentFree, GangDemand } from './fit-at-kill';

export type WorkloadKind = 'mpi2' | 'mpi4' | 'serial' | 'fail' | 'cancel' | 'invalid' | 'duplicate';

/** What one client was told about one launch call. */
export interface LaunchRecord {
  experimentId: string;
  kind: WorkloadKind;
  /** ok: the call returned; error: an Airavata exception (a definite refusal); unknown: the connection failed or timed out. */
  outcome: 'ok' | 'error' | 'unknown';
  at: number;
  error?: string;
  /** Files a COMPLETED run of this launch must have in its data folder. */
  expectedOutputs: string[];
}

export interface DbTask {
  id: string;
  ranks: number[];
  state: string;
  agentId: string | null;
  sandboxPath: string | null;
  createdAt: number;
}

export interface DbJob {
  id: string;
  attempt: number;
  state: string;
  /** Ranks the gang has (from its gang spec); 0 when unknown. */
  ranks: number;
  /** When the dispatcher recorded that nothing of the attempt runs any more (absent: not settled, or not recorded). */
  settledAt?: number | null;
  tasks: DbTask[];
}

export interface DbHistoryRow {
  id: number;
  entityType: string;
  entityId: string;
  state: string;
  at: number;
}

export interface DbExperiment {
  id: string;
  state: string;
  processStates: string[];
  jobs: DbJob[];
  history: DbHistoryRow[];
  /** Files present in the experiment's data folder. */
  dataFiles: string[];
}

/** One message as read back from a channel, in the order the channel delivered it. */
export interface ChannelMessage {
  messageId: string;
  experimentId: string;
  /** events: "status.changed:<entity>" or "outputs.collected"; Airavata channels: the MessageType name. */
  type: string;
  state: string;
}

export interface MasterTask {
  taskId: string;
  frameworkId: string;
  agentId: string;
  state: string;
  /**
   * When the leading master was asked (absent in runs recorded before it was kept). A failed-over
   * master forgets completed tasks, so the last record of a task may be an earlier master's.
   */
  at?: number;
}

/** A task process seen alive in /proc during or after the run. */
export interface ProcessSighting {
  taskId: string;
  /** The container the process belongs to (one per launch of a task). */
  containerId: string;
  pid: number;
  at: number;
}

export interface Leftovers {
  /** Task processes still alive after every job ended. */
  processes: ProcessSighting[];
  /** Sandboxes of ended tasks still on disk after the garbage-collection delay. */
  sandboxes: string[];
  /** Rendezvous znodes left under the run's ZooKeeper root. */
  rendezvous: string[];
  /** Offers the framework still holds after the jobs ended. */
  heldOffers: number;
}

export interface FaultRecord {
  kind: string;
  at: number;
  target: string;
  ok: boolean;
  detail?: string;
  /** A kill of the leading dispatcher: each active agent's free resources just before it. */
  freeAtKill?: AgentFree[];
}

/** Gangs that were waiting when the leading dispatcher was killed, and when each was placed. */
export interface LeaderKillRecord {
  at: number;
  /** Each active agent's free resources at the kill (absent in runs recorded before it was kept). */
  free?: AgentFree[];
  /** In queue order (the time each was queued). */
  waiting: { jobId: string; placedAt: number | null; demand?: GangDemand }[];
}

export interface RunHistories {
  launches: LaunchRecord[];
  cancels: { experimentId: string; outcome: 'ok' | 'error' | 'unknown'; at: number }[];
  experiments: DbExperiment[];
  channels: Record<string, ChannelMessage[]>;
  masterTasks: MasterTask[];
  sightings: ProcessSighting[];
  leftovers: Leftovers;
  faults: FaultRecord[];
  leaderKills: LeaderKillRecord[];
  /** Task id → experiment id, for tasks the master or /proc reported. */
  taskOwners: Record<string, string>;
}
