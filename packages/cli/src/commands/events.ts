import type { CommandGroup } from '../registry';

export const eventsCommands: CommandGroup = {
  name: 'events',
  summary: 'The status event stream (docs/events.md).',
  commands: [{
    name: 'tail',
    summary: 'Follow status events live, one readable line each (--json: raw envelopes).',
    usage: '[--experiment ID] [--from-beginning] [--json]',
    async run(ctx) {
      const { eventsTailCommand } = await import('@msched/publishers');
      return eventsTailCommand(ctx.argv, { stdout: ctx.out, stderr: ctx.err, env: ctx.env });
    },
  }],
};
