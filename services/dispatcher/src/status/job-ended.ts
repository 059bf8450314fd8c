import type { EndedTask, JobEnded } from '@msched/model';
import type { JobRow, TaskRow } from '../store/rows';

/** The launcher task: the one flagged at launch, else the one holding rank 0. */
export function launcherOf(tasks: readonly TaskRow[]): TaskRow | undefined {
  return tasks.find((t) => t.launcher) ?? tasks.find((t) => t.ranks.includes(0));
}

/** The end report of an attempt for the provisioner (collect outputs, clean the sandboxes). */
export function jobEndedMessage(job: JobRow, tasks: readonly TaskRow[], retried: boolean): JobEnded {
  const state = job.state as JobEnded['state'];
  if (state !== 'COMPLETE' && state !== 'FAILED' && state !== 'CANCELED') throw new Error(`job ${job.id} is ${job.state}, not ended`);
  const launcher = launcherOf(tasks);
  return {
    jobId: job.id,
    processId: job.processId,
    experimentId: job.experimentId,
    gatewayId: job.gatewayId,
    taskId: job.taskId,
    attempt: job.attempt,
    state,
    ...(job.reason ? { reason: job.reason } : {}),
    ...(job.exitCode !== null ? { exitCode: job.exitCode } : {}),
    ...(job.failedRank !== null ? { failedRank: job.failedRank } : {}),
    retried,
    tasks: tasks.map((t): EndedTask => ({
      taskId: t.id,
      agentId: t.agentId ?? '',
      hostname: t.hostname ?? '',
      ranks: t.ranks,
      ...(t.sandboxPath ? { sandboxPath: t.sandboxPath } : {}),
      state: t.state,
      launcher: t === launcher,
    })),
  };
}
