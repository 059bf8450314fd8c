import { CommandGroup, parseOptions } from '../registry';

export const dbCommands: CommandGroup = {
  name: 'db',
  summary: 'The job database.',
  commands: [{
    name: 'migrate',
    summary: 'Apply pending schema migrations (services also do it at start unless MSCHED_DATABASE_MIGRATE_ON_START=false).',
    usage: '',
    async run(ctx) {
      parseOptions(ctx.argv, {});
      const { migrate } = await import('@msched/db');
      const applied = await migrate(await ctx.database());
      ctx.out.write(applied.length ? `applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}\n`).join('')}` : 'the schema is up to date\n');
    },
  }],
};
