import { CommandFailed, CommandGroup, parseOptions, UsageError } from '../registry';
import { json, renderTable, when } from '../output/table';

/** Operators' view of dead-lettered provisioning stages (stage_runs in state dead). */
export const dlqCommands: CommandGroup = {
  name: 'dlq',
  summary: 'Dead-lettered provisioning stages: list them, replay one after fixing its cause.',
  commands: [{
    name: 'list',
    summary: 'Stage runs that ran out of attempts, oldest first, with their last error.',
    usage: '[--json]',
    async run(ctx) {
      const { values } = parseOptions(ctx.argv, { json: { type: 'boolean', default: false } });
      const { listDeadStageRuns } = await import('@msched/dead-letters');
      const rows = await listDeadStageRuns(await ctx.database());
      if (values.json) {
        ctx.out.write(json(rows));
        return;
      }
      if (rows.length === 0) {
        ctx.out.write('the dead-letter queue is empty\n');
        return;
      }
      ctx.out.write(renderTable(rows, [
        { header: 'ID', cell: (r) => r.id },
        { header: 'STAGE', cell: (r) => r.stage },
        { header: 'TRIES', cell: (r) => r.attempts },
        { header: 'DEAD SINCE', cell: (r) => when(r.deadAt) },
        { header: 'EXPERIMENT', cell: (r) => r.experimentId, max: 48 },
        { header: 'JOB', cell: (r) => r.jobId, max: 40 },
        { header: 'LAST ERROR', cell: (r) => r.lastError, max: 90 },
      ]));
    },
  }, {
    name: 'replay',
    summary: 'Run a dead-lettered stage again with fresh attempts; its FAILED process is requeued.',
    usage: 'ID [--json]',
    async run(ctx) {
      const { values, positionals } = parseOptions(ctx.argv, { json: { type: 'boolean', default: false } }, { positionals: 1 });
      const id = positionals[0];
      if (!id) throw new UsageError('which entry? give its id (msched dlq list shows them)');
      const { replayDeadStage, ReplayError } = await import('@msched/dead-letters');
      const operator = ctx.env.USER ?? ctx.env.LOGNAME ?? 'an operator';
      try {
        const r = await replayDeadStage(await ctx.database(), id, operator);
        ctx.out.write(values.json ? json({ replayed: id, ...r }) : `replaying ${r.stage} of job ${r.jobId} (experiment ${r.experimentId}); follow it with: msched events tail --experiment ${r.experimentId}\n`);
        const { notifyOutbox } = await import('@msched/db');
        await notifyOutbox(await ctx.database()).catch(() => undefined);
      } catch (e) {
        if (e instanceof ReplayError) throw new CommandFailed(e.message);
        throw e;
      }
    },
  }],
};
