import { enqueueOutbox, type Db } from '@msched/db';
import { JOB_ENDED_TYPE, type JobEnded } from '@msched/model';
import { findJob } from '../store/find-job';
import { hasNextAttempt } from '../store/has-next-attempt';
import { jobTasks } from '../store/job-tasks';
import { markSettled } from '../store/mark-settled';
import { jobEndedMessage, launcherOf } from './job-ended';

/**
 * The attempt is over and nothing of it runs any more: record where its output is (the launcher's
 * sandbox) and hand it to the provisioner (JobEnded), in the caller's transaction.
 */
export async function recordSettled(tx: Db, jobId: string): Promise<JobEnded> {
  const tasks = await jobTasks(tx, jobId);
  const launcher = launcherOf(tasks);
  const dir = launcher?.sandboxPath ?? undefined;
  await markSettled(tx, jobId, dir ? { workingDir: dir, stdOut: `${dir}/stdout`, stdErr: `${dir}/stderr` } : {});
  const job = await findJob(tx, jobId);
  if (!job) throw new Error(`job ${jobId} vanished while settling`);
  const ended = jobEndedMessage(job, tasks, await hasNextAttempt(tx, job.processId, job.attempt));
  await enqueueOutbox(tx, { topic: 'jobEnded', key: job.experimentId, type: JOB_ENDED_TYPE, payload: ended });
  return ended;
}
