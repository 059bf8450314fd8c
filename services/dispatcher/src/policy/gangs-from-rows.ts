import { gangRequestFromSpec, type RunningGang, type Tenant, type WaitingGang } from '@msched/gang';
import type { JobRow, TaskRow } from '../store/rows';

/** Who fair share and quotas charge for a job: its experiment's gateway and user. */
export function tenantOf(job: Pick<JobRow, 'gatewayId' | 'userName'>): Tenant {
  return { gateway: job.gatewayId, user: job.userName };
}

/** A queued job as the offer policy sees it (its gang id is the job id). */
export function waitingGangOf(job: JobRow, portsPerAgent: number): WaitingGang {
  if (!job.gangSpec) throw new Error(`job ${job.id} has no gang spec`);
  return {
    gangId: job.id,
    tenant: tenantOf(job),
    request: gangRequestFromSpec(job.gangSpec, portsPerAgent),
    wallTimeSeconds: job.gangSpec.wallTimeSeconds,
    // A retried attempt keeps its first attempt's queue time (insertNextAttempt), so it is not sent to the back.
    queuedAt: (job.queuedAt ?? new Date()).getTime(),
  };
}

/** A launched job as the policy's reservation estimate sees it: what it holds where, until when. */
export function runningGangOf(job: JobRow, tasks: readonly TaskRow[]): RunningGang {
  const spec = job.gangSpec;
  const launchedAt = (job.launchedAt ?? new Date()).getTime();
  return {
    gangId: job.id,
    role: spec?.role ?? '*',
    tenant: tenantOf(job),
    launchedAt,
    expectedEndAt: spec && spec.wallTimeSeconds > 0 ? launchedAt + spec.wallTimeSeconds * 1000 : Number.MAX_SAFE_INTEGER,
    shares: tasks.map((t) => ({
      agentId: t.agentId ?? '',
      hostname: t.hostname ?? '',
      cpus: t.ranks.length * (spec?.cpusPerRank ?? 0),
      mem: t.ranks.length * (spec?.memMbPerRank ?? 0),
      disk: 0,
    })),
  };
}
