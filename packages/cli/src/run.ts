import type { DataSource } from 'typeorm';
import { Config, ConfigError, loadConfig } from '@msched/config';
import { createLogger, Logger } from '@msched/logging';
import { CommandContext, CommandFailed, CommandGroup, findCommand, renderHelp, UsageError } from './registry';

export interface RunOptions {
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
}

/** Runs `msched <argv...>` and resolves to the exit code: 0 done, 1 failed, 2 wrong usage. */
export async function runCli(groups: readonly CommandGroup[], argv: readonly string[], o: RunOptions = {}): Promise<number> {
  const out = o.out ?? process.stdout;
  const err = o.err ?? process.stderr;
  const env = o.env ?? process.env;
  const [groupName, commandName, ...given] = argv;
  if (!groupName || groupName === '--help' || groupName === 'help') {
    out.write(renderHelp(groups));
    return groupName ? 0 : 2;
  }
  let { group, command } = findCommand(groups, groupName, commandName);
  let rest = given;
  // `msched local-cluster --agents 4`: options (or nothing) right after a group with a default command.
  if (group && !command && group.defaultCommand && (commandName === undefined || (commandName.startsWith('-') && commandName !== '--help'))) {
    command = group.commands.find((c) => c.name === group!.defaultCommand);
    rest = commandName === undefined ? [] : [commandName, ...given];
  }
  if (!group) {
    err.write(`msched: unknown command "${groupName}"\n\n${renderHelp(groups)}`);
    return 2;
  }
  if (!command) {
    const msg = !commandName || commandName === '--help' ? '' : `msched ${groupName}: unknown command "${commandName}"\n\n`;
    (msg ? err : out).write(`${msg}${renderHelp(groups, group)}`);
    return msg || !commandName ? 2 : 0;
  }

  const exits: Array<() => Promise<void> | void> = [];
  let cfg: Config | undefined;
  let logger: Logger | undefined;
  let ds: Promise<DataSource> | undefined;
  const ctx: CommandContext = {
    argv: rest, out, err, env,
    config: () => (cfg ??= loadConfig(env)),
    logger: () => (logger ??= createLogger({ service: 'cli', level: ctx.config().log.level, format: ctx.config().log.format, stream: err })),
    database: () => (ds ??= (async () => {
      const { createDataSource, redactUrl } = await import('@msched/db');
      const settings = { ...ctx.config().database, poolSize: 2 };
      const source = createDataSource(settings, { applicationName: 'msched-cli' });
      try {
        await source.initialize();
      } catch (e) {
        throw new CommandFailed(`cannot connect to PostgreSQL (${redactUrl(settings.url)}): ${(e as Error).message}`, true);
      }
      exits.push(() => source.destroy());
      return source;
    })()),
    onExit: (fn) => { exits.push(fn); },
  };
  try {
    return (await command.run(ctx)) ?? 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`msched ${group.name} ${command.name}: ${e.message}\nusage: msched ${group.name} ${command.name} ${command.usage}\n`);
      return 2;
    }
    if (e instanceof ConfigError || e instanceof CommandFailed) {
      err.write(`msched ${group.name} ${command.name}: ${e.message}\n`);
      return 1;
    }
    err.write(`msched ${group.name} ${command.name} failed: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  } finally {
    for (const fn of exits.reverse()) await Promise.resolve(fn()).catch(() => undefined);
  }
}
