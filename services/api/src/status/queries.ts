import type { ExperimentStatus, JobModel, ProcessStatus } from '@msched/airavata-thrift';
import { Db, experimentOwner, jobsOfExperiment, latestStatus, statusHistory } from '@msched/db';
import { Principal, requireAccess } from '../auth/access';
import { NotFound } from '../errors';
import { toExperimentStatus, toJobModel, toProcessStatus } from './to-thrift';

export async function experimentStatus(db: Db, who: Principal, experimentId: string): Promise<ExperimentStatus> {
  const s = await latestStatus(db, 'experiment', experimentId);
  if (!s) throw new NotFound(`no experiment "${experimentId}"`);
  requireAccess(who, 'read', { gatewayId: s.gatewayId, ownerUserName: s.userName });
  return toExperimentStatus(s);
}

export async function processStatus(db: Db, who: Principal, processId: string): Promise<ProcessStatus> {
  const s = await latestStatus(db, 'process', processId);
  if (!s) throw new NotFound(`no process "${processId}"`);
  requireAccess(who, 'read', { gatewayId: s.gatewayId, ownerUserName: s.userName });
  return toProcessStatus(s);
}

/** Every job of the experiment, oldest first, each with its whole status history. */
export async function experimentJobs(db: Db, who: Principal, experimentId: string): Promise<JobModel[]> {
  const owner = await experimentOwner(db, experimentId);
  if (owner === undefined) throw new NotFound(`no experiment "${experimentId}"`);
  requireAccess(who, 'read', { gatewayId: owner.gatewayId, ownerUserName: owner.userName });
  const jobs = await jobsOfExperiment(db, experimentId);
  const history = await statusHistory(db, 'job', jobs.map((j) => j.id));
  return jobs.map((j) => toJobModel(j, history.filter((h) => h.entityId === j.id)));
}
