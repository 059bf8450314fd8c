import type { JobHistoryEntry, JobOverview, JobTask } from '@msched/db';
import { JOB_STATES } from '@msched/state-model';
import { CommandFailed, CommandGroup, parseOptions, UsageError } from '../registry';
import { duration, expectedStart, json, renderFields, renderTable, when } from '../output/table';

const list = {
  name: 'list',
  summary: 'Jobs (launch attempts), newest first; --state keeps one JobState.',
  usage: '[--state STATE] [--limit N] [--json]',
  async run(ctx) {
    const { values } = parseOptions(ctx.argv, { state: { type: 'string' }, limit: { type: 'string', default: '50' }, json: { type: 'boolean', default: false } });
    const state = values.state?.toUpperCase();
    if (state !== undefined && !(JOB_STATES as readonly string[]).includes(state)) throw new UsageError(`--state ${values.state} is not a job state (one of ${JOB_STATES.join(', ')})`);
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10000) throw new UsageError(`--limit ${values.limit} is not a number between 1 and 10000`);
    const { isWaitingJob, listJobs } = await import('@msched/db');
    const jobs = await listJobs(await ctx.database(), { state, limit });
    if (values.json) {
      ctx.out.write(json(jobs));
      return;
    }
    if (jobs.length === 0) {
      ctx.out.write(state ? `no ${state} jobs\n` : 'no jobs\n');
      return;
    }
    // WORKFLOW experiments: which application of the DAG a job runs, in its ApplicationState (the
    // column only when a listed job has one, so single-application installations see no change).
    const workflowStep = jobs.some((j) => j.workflowApplication)
      ? [{ header: 'WORKFLOW STEP', cell: (j: JobOverview) => (j.workflowApplication ? `${j.workflowApplication} ${j.applicationState}` : undefined), max: 32 }]
      : [];
    ctx.out.write(renderTable<JobOverview>(jobs, [
      { header: 'JOB', cell: (j) => j.jobId },
      { header: 'STATE', cell: (j) => j.state },
      { header: 'TRY', cell: (j) => j.attempt },
      { header: 'EXPERIMENT', cell: (j) => j.experimentId, max: 48 },
      ...workflowStep,
      { header: 'GATEWAY', cell: (j) => j.gatewayId, max: 20 },
      { header: 'USER', cell: (j) => j.userName, max: 16 },
      { header: 'QUEUE', cell: (j) => j.queueName },
      { header: 'CPUS', cell: (j) => j.totalCpuCount },
      { header: 'TASKS', cell: (j) => j.taskCount },
      { header: 'WAIT', cell: (j) => duration(j.waitSeconds) },
      // Only while it waits: once launched the saved estimate is history (jobs show keeps it).
      { header: 'EXPECTED START', cell: (j) => (isWaitingJob(j) ? expectedStart(j.expectedStartAt) ?? 'not estimated' : undefined) },
      { header: 'RUN', cell: (j) => duration(j.runSeconds) },
      { header: 'UPDATED', cell: (j) => when(j.updatedAt) },
      // A waiting gang's reason is the offer policy's (why it is not placed yet); otherwise the job's own.
      { header: 'REASON', cell: (j) => j.waitReason ?? j.reason, max: 60 },
    ]));
  },
} satisfies CommandGroup['commands'][number];

const show = {
  name: 'show',
  summary: 'One job: its experiment and process, its Mesos tasks and everything that happened to it.',
  usage: 'JOB_ID [--json]',
  async run(ctx) {
    const { values, positionals } = parseOptions(ctx.argv, { json: { type: 'boolean', default: false } }, { positionals: 1 });
    const id = positionals[0];
    if (!id) throw new UsageError('which job? give its id (msched jobs list shows them)');
    const { isWaitingJob, jobDetail } = await import('@msched/db');
    const d = await jobDetail(await ctx.database(), id);
    if (!d) throw new CommandFailed(`no job ${id}`);
    if (values.json) {
      ctx.out.write(json(d));
      return;
    }
    const j = d.job;
    ctx.out.write(renderFields([
      ['job', j.jobId], ['state', j.state], ['reason', j.reason],
      ['waiting for', j.waitReason ? `${j.waitReason} (since ${when(j.waitReasonAt)})` : undefined],
      ['expected start', isWaitingJob(j) ? expectedStart(j.expectedStartAt) ?? 'not estimated yet' : undefined],
      ['was expected', !isWaitingJob(j) && j.expectedStartAt ? `${when(j.expectedStartAt)}${j.launchedAt ? `, launched ${when(j.launchedAt)}` : ''}` : undefined],
      ['waited', duration(j.waitSeconds)], ['ran', duration(j.runSeconds)], ['attempt', j.attempt], ['exit code', j.exitCode], ['failed rank', j.failedRank],
      ['experiment', `${j.experimentId} (${j.experimentState})`], ['experiment name', j.experimentName], ['gateway', j.gatewayId], ['user', j.userName],
      ['process', `${j.processId} (${j.processState})`],
      ...(j.workflowApplication ? [['workflow step', `${j.workflowApplication} (${j.applicationState}); msched workflow show ${j.experimentId} draws the DAG`] as [string, string]] : []),
      ['airavata task', j.taskId], ['compute resource', j.computeResourceId], ['queue', j.queueName],
      ['cpus', j.totalCpuCount], ['gang', j.gangSpec ? JSON.stringify(j.gangSpec) : 'not resolved yet'], ['framework', j.frameworkId],
      ['working dir', j.workingDir], ['created', when(j.createdAt)], ['updated', when(j.updatedAt)],
    ]));
    ctx.out.write(`\nTasks (${d.tasks.length})\n`);
    if (d.tasks.length) {
      ctx.out.write(renderTable<JobTask>(d.tasks, [
        { header: 'TASK', cell: (t) => t.taskId }, { header: 'STATE', cell: (t) => t.state }, { header: 'AGENT', cell: (t) => t.agentId },
        { header: 'HOST', cell: (t) => t.hostname }, { header: 'RANKS', cell: (t) => t.ranks.join(',') }, { header: 'EXIT', cell: (t) => t.exitCode },
        { header: 'UPDATED', cell: (t) => when(t.lastUpdateAt) }, { header: 'MESSAGE', cell: (t) => t.message, max: 60 },
      ]));
    }
    ctx.out.write(`\nHistory (${d.history.length})\n`);
    ctx.out.write(renderTable<JobHistoryEntry>(d.history, [
      { header: 'TIME', cell: (h) => when(h.at) }, { header: 'ENTITY', cell: (h) => h.entityType }, { header: 'ID', cell: (h) => h.entityId, max: 48 },
      { header: 'STATE', cell: (h) => h.state }, { header: 'SOURCE', cell: (h) => h.source }, { header: 'REASON', cell: (h) => h.reason, max: 80 },
    ]));
  },
} satisfies CommandGroup['commands'][number];

export const jobsCommands: CommandGroup = {
  name: 'jobs',
  summary: 'Inspect jobs (one per launch attempt) in the job database.',
  commands: [list, show],
};
