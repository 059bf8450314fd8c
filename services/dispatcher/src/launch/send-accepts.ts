import { launchOperation, type SchedulerClient } from '@msched/mesos';
import type { PlannedTask } from './build-gang-tasks';

export interface AcceptFailure {
  readonly agentId: string;
  readonly offerIds: readonly string[];
  readonly reason: string;
}

/**
 * One ACCEPT per agent (Mesos accepts offers of one agent per call), all sent together so the ranks
 * start as close together as Mesos allows. Returns the agents whose ACCEPT failed.
 */
export async function sendAccepts(client: Pick<SchedulerClient, 'accept'>, tasks: readonly PlannedTask[], refuseSeconds: number): Promise<AcceptFailure[]> {
  const answers = await Promise.allSettled(tasks.map((t) => client.accept(t.offerIds, [launchOperation([t.info])], refuseSeconds)));
  const failures: AcceptFailure[] = [];
  answers.forEach((a, i) => {
    if (a.status === 'rejected') failures.push({ agentId: tasks[i].agentId, offerIds: tasks[i].offerIds, reason: (a.reason as Error)?.message ?? String(a.reason) });
  });
  return failures;
}
