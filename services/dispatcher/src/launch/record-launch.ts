import type { DataSource } from 'typeorm';
import { appendStatus, withTransaction } from '@msched/db';
import { insertTasks } from '../store/insert-tasks';
import { lockJob } from '../store/lock-job';
import { markLaunched } from '../store/mark-launched';
import type { PlannedTask } from './build-gang-tasks';

export type LaunchRecord = { readonly recorded: true; readonly launchedAt: Date } | { readonly recorded: false; readonly why: string };

/**
 * Writes a launch BEFORE any ACCEPT goes out, in one transaction: the task rows (TASK_STAGING, with
 * their history) and the job's launch time. A crash after the ACCEPTs leaves rows reconciliation
 * resolves; a crash before leaves nothing. Refused when the job stopped waiting meanwhile (canceled,
 * or launched by another leader).
 */
export async function recordLaunch(ds: DataSource, jobId: string, tasks: readonly PlannedTask[], frameworkId: string): Promise<LaunchRecord> {
  return withTransaction(ds, async (tx) => {
    const job = await lockJob(tx, jobId);
    if (!job) return { recorded: false, why: 'the job is gone' };
    if (job.launchedAt) return { recorded: false, why: 'the job was launched already' };
    if (job.cancelRequestedAt) return { recorded: false, why: 'the job was canceled' };
    if (job.settledAt || job.state !== 'QUEUED') return { recorded: false, why: `the job is ${job.state}, not QUEUED` };
    await insertTasks(tx, tasks.map((t) => t.row));
    for (const t of tasks) {
      await appendStatus(tx, {
        entityType: 'task', entityId: t.row.id, experimentId: job.experimentId, state: 'TASK_STAGING',
        reason: `launching ${t.row.ranks.length} rank(s) on ${t.hostname} (${t.agentId})`, source: 'dispatcher',
      });
    }
    const launchedAt = new Date();
    await markLaunched(tx, jobId, frameworkId, launchedAt);
    return { recorded: true, launchedAt };
  });
}
