import type { CommandInfo } from '../protocol/mesos-types';

export interface TaskEnvironmentInput {
  /** The agent's own environment, inherited as Mesos agents pass theirs to executors by default. */
  inherited: NodeJS.ProcessEnv;
  agentId: string;
  agentHostname: string;
  agentEndpoint: string;
  frameworkId: string;
  executorId: string;
  taskId: string;
  containerId: string;
  /** The task's sandbox (its own nested one for task-group tasks). */
  sandbox: string;
  checkpoint: boolean;
  shutdownGraceSeconds: number;
  command?: CommandInfo;
}

/** Marks every process of a container: lets the agent find strays that left the process group. */
export const CONTAINER_MARKER = 'MESOS_LOCAL_CONTAINER_ID';

/**
 * A task's environment. Real Mesos sets MESOS_FRAMEWORK_ID, MESOS_EXECUTOR_ID, MESOS_DIRECTORY,
 * MESOS_SANDBOX, MESOS_SLAVE_ID, MESOS_SLAVE_PID, MESOS_AGENT_ENDPOINT, MESOS_CHECKPOINT and
 * MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD; the local cluster adds MESOS_AGENT_ID, MESOS_TASK_ID,
 * MESOS_HOSTNAME (the agent's fake host name) and its container marker. The task's own
 * CommandInfo.environment is applied last and wins.
 */
export function taskEnvironment(i: TaskEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(i.inherited)) if (v !== undefined) env[k] = v;
  Object.assign(env, {
    LIBPROCESS_PORT: '0',
    MESOS_FRAMEWORK_ID: i.frameworkId,
    MESOS_EXECUTOR_ID: i.executorId,
    MESOS_DIRECTORY: i.sandbox,
    MESOS_SANDBOX: i.sandbox,
    MESOS_SLAVE_ID: i.agentId,
    MESOS_AGENT_ID: i.agentId,
    MESOS_SLAVE_PID: `slave(1)@${i.agentEndpoint}`,
    MESOS_AGENT_ENDPOINT: i.agentEndpoint,
    MESOS_CHECKPOINT: i.checkpoint ? '1' : '0',
    MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: `${i.shutdownGraceSeconds}secs`,
    MESOS_TASK_ID: i.taskId,
    MESOS_HOSTNAME: i.agentHostname,
    [CONTAINER_MARKER]: i.containerId,
  });
  for (const v of i.command?.environment?.variables ?? []) {
    if (v.name) env[v.name] = v.value ?? '';
  }
  return env;
}
