import { dirname, join } from 'node:path';
import { CommandGroup, parseOptions } from '../registry';
import { runScript } from './services';

/** `msched console serve`: the operator web console in the foreground (docs/operator-guide.md). */
export const consoleCommands: CommandGroup = {
  name: 'console',
  summary: 'The operator web console.',
  defaultCommand: 'serve',
  commands: [{
    name: 'serve',
    summary: 'Run the web console and its JSON API on MSCHED_CONSOLE_HOST:MSCHED_CONSOLE_PORT (default 127.0.0.1:9935).',
    usage: '',
    async run(ctx) {
      parseOptions(ctx.argv, {});
      // Resolved at run time: the CLI does not build against the console, it starts it.
      const main = join(dirname(require.resolve('@msched/console/package.json')), 'dist/main.js');
      return runScript(main, [], ctx.env);
    },
  }],
};
