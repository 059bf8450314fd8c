import { basename } from 'node:path';
import { CommandFailed, CommandGroup, parseOptions } from '../registry';

export const simCommands: CommandGroup = {
  name: 'sim',
  summary: 'Replay an HPC workload trace (SWF) through the gang policy on a simulated Mesos cluster, against FCFS, EASY and conservative backfilling.',
  defaultCommand: 'run',
  commands: [{
    name: 'run',
    summary: 'Simulate one trace and print the comparison table (docs/scheduling.md explains the figures).',
    usage: '--trace FILE.swf[.gz] [--cluster AGENTSxCPUS] [--json] [--baselines fcfs,easy,conservative|none] [--limit N] [--serial-load F] [--no-estimate exact|skip] [--hold S] [--decline-refuse S] [--aging S] [--no-spare-backfill] [--no-hold-for-reservation] [--backfill-order queue|shortest-first] [--spare-rule by-agent-shape|head-placement|head-fits] [--no-revive-on-end]',
    async run(ctx) {
      const sim = await import('@msched/sim');
      const { values } = parseOptions(ctx.argv, { trace: { type: 'string' }, cluster: { type: 'string' }, json: { type: 'boolean', default: false }, ...sim.SIM_FLAG_SPEC });
      if (!values.trace) throw new CommandFailed('--trace FILE is required (an SWF file of the Parallel Workloads Archive, plain or gzip)');
      try {
        const settings = sim.settingsFromFlags(values);
        const trace = sim.readSwfFile(values.trace, { noEstimate: settings.noEstimate });
        const shape = values.cluster ? sim.parseClusterShape(values.cluster) : sim.shapeFromHeader(trace.header);
        const comparison = sim.compareSchedulers(basename(values.trace), trace, shape, settings.compare);
        ctx.out.write(values.json ? `${JSON.stringify(comparison, null, 2)}\n` : sim.renderComparison(comparison));
      } catch (e) {
        if (e instanceof sim.SimInputError) throw new CommandFailed(e.message);
        throw e;
      }
    },
  }],
};
