import type { DataSource } from 'typeorm';
import type { Config } from '@msched/config';
import { forJob, type Logger } from '@msched/logging';
import type { SchedulerClient } from '@msched/mesos';
import { taskRunner } from '../runtime/provide-runtime';
import { findJob } from '../store/find-job';
import type { JobRow } from '../store/rows';
import { buildGangTasks } from './build-gang-tasks';
import type { LaunchDecision } from './launch-decision';
import { recordLaunch } from './record-launch';
import { sendAccepts, type AcceptFailure } from './send-accepts';

export interface LaunchDeps {
  readonly ds: DataSource;
  readonly cfg: Config;
  readonly client: Pick<SchedulerClient, 'accept'>;
  readonly frameworkId: string;
  readonly logger: Logger;
}

export type LaunchReport =
  | { readonly kind: 'launched'; readonly job: JobRow; readonly launchedAt: Date; readonly failures: readonly AcceptFailure[] }
  /** The job stopped waiting meanwhile (canceled, launched elsewhere): nothing was written or sent. */
  | { readonly kind: 'skipped'; readonly why: string }
  /** The gang's tasks cannot be built (a bad setting or application spec): it can never launch. */
  | { readonly kind: 'invalid'; readonly why: string };

/**
 * Launches a placed gang: builds one task per agent, records the launch, then sends the ACCEPTs.
 * ACCEPTs that fail are reported; the caller declines their offers and fails the attempt.
 */
export async function launchGang(x: LaunchDecision, d: LaunchDeps): Promise<LaunchReport> {
  const job = await findJob(d.ds, x.gangId);
  if (!job?.gangSpec) return { kind: 'skipped', why: `job ${x.gangId} has no gang any more` };
  const log = forJob(d.logger, { experimentId: job.experimentId, processId: job.processId, jobId: job.id, attempt: job.attempt });
  let tasks;
  try {
    tasks = buildGangTasks(job, job.gangSpec, x.agents, {
      gang: { zookeeper: d.cfg.zookeeper, mpi: d.cfg.mpi, logLevel: d.cfg.log.level },
      runner: taskRunner(d.cfg),
      killGraceMs: d.cfg.mpi.killGraceMs + 2000,
    });
  } catch (e) {
    return { kind: 'invalid', why: `the gang's tasks cannot be built: ${(e as Error).message}` };
  }
  const record = await recordLaunch(d.ds, job.id, tasks, d.frameworkId);
  if (!record.recorded) {
    log.info(`not launched: ${record.why}`);
    return { kind: 'skipped', why: record.why };
  }
  log.info(`launching ${job.gangSpec.ranks} rank(s) as ${tasks.length} task(s) on ${tasks.map((t) => `${t.hostname} [${t.row.ranks.join(',')}]`).join(', ')}`);
  const failures = await sendAccepts(d.client, tasks, d.cfg.dispatcher.acceptRefuseSeconds);
  for (const f of failures) log.error(`ACCEPT on agent ${f.agentId} failed: ${f.reason}`);
  return { kind: 'launched', job: { ...job, launchedAt: record.launchedAt }, launchedAt: record.launchedAt, failures };
}
