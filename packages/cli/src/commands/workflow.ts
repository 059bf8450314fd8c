import { CommandFailed, CommandGroup, parseOptions, UsageError } from '../registry';
import { json, renderTable, when } from '../output/table';

const show = {
  name: 'show',
  summary: 'A WORKFLOW experiment drawn as its DAG, each application and handler with its state, process and job.',
  usage: 'EXPERIMENT_OR_WORKFLOW_ID [--json]',
  async run(ctx) {
    const { values, positionals } = parseOptions(ctx.argv, { json: { type: 'boolean', default: false } }, { positionals: 1 });
    const id = positionals[0];
    if (!id) throw new UsageError('which workflow? give its experiment id or workflow id (msched workflow list shows them)');
    const { workflowDetail } = await import('./workflow-detail');
    const d = await workflowDetail(await ctx.database(), id);
    if (!d) throw new CommandFailed(`no workflow ${id}`);
    if (values.json) {
      ctx.out.write(json(d));
      return;
    }
    const { drawWorkflow } = await import('@msched/workflow');
    const notes = new Map(d.nodes.filter((n) => n.jobId).map((n) => [n.nodeId, `job ${n.jobId} ${n.jobState}${n.attempt && n.attempt > 1 ? `, attempt ${n.attempt}` : ''}`]));
    const lines = drawWorkflow({
      workflowId: d.workflowId, state: d.state, policy: d.failurePolicy + (d.terminating ? ', terminating' : ''),
      spec: d.spec as Parameters<typeof drawWorkflow>[0]['spec'], states: new Map(d.nodes.map((n) => [n.nodeId, n.state])), notes,
    });
    ctx.out.write(`experiment ${d.experimentId} (${d.experimentState})\n${lines.join('\n')}\n`);
  },
} satisfies CommandGroup['commands'][number];

const list = {
  name: 'list',
  summary: 'WORKFLOW experiments, most recently changed first, with how many applications completed.',
  usage: '[--limit N] [--json]',
  async run(ctx) {
    const { values } = parseOptions(ctx.argv, { limit: { type: 'string', default: '50' }, json: { type: 'boolean', default: false } });
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10000) throw new UsageError(`--limit ${values.limit} is not a number between 1 and 10000`);
    const { listWorkflows } = await import('./workflow-detail');
    const rows = await listWorkflows(await ctx.database(), limit);
    if (values.json) {
      ctx.out.write(json(rows));
      return;
    }
    if (rows.length === 0) {
      ctx.out.write('no workflows\n');
      return;
    }
    ctx.out.write(renderTable(rows, [
      { header: 'EXPERIMENT', cell: (r) => r.experimentId, max: 48 }, { header: 'WORKFLOW', cell: (r) => r.workflowId, max: 48 },
      { header: 'STATE', cell: (r) => r.state }, { header: 'DONE', cell: (r) => `${r.done}/${r.applications}` },
      { header: 'POLICY', cell: (r) => r.failurePolicy }, { header: 'UPDATED', cell: (r) => when(r.updatedAt) },
    ]));
  },
} satisfies CommandGroup['commands'][number];

export const workflowCommands: CommandGroup = {
  name: 'workflow',
  summary: 'Inspect WORKFLOW experiments (DAGs of applications) in the job database.',
  commands: [list, show],
};
