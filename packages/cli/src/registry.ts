import { parseArgs, ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
/** What parseOptions gives: each option's value, and the positional arguments. */
export type ParsedOptions<T extends Options> = ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean; strict: true }>>;
import type { DataSource } from 'typeorm';
import type { Config } from '@msched/config';
import type { Logger } from '@msched/logging';

/** What a command gets: its arguments, its output streams, and lazily opened resources. */
export interface CommandContext {
  /** Arguments after `msched <group> <command>`. */
  readonly argv: readonly string[];
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** The validated configuration (loaded on first use). */
  config(): Config;
  /** Logs go to stderr, so stdout stays for tables and --json. */
  logger(): Logger;
  /** The job database, without applying migrations; closed when the command ends. */
  database(): Promise<DataSource>;
  /** Runs `fn` when the command ends (close what you opened). */
  onExit(fn: () => Promise<void> | void): void;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** One line: the arguments after the command name, e.g. `[--state S] [--json]`. */
  readonly usage: string;
  /** Resolves to the exit code (0 when nothing is returned). */
  run(ctx: CommandContext): Promise<number | void>;
}

/**
 * One file per group (commands/<group>.ts), listed in commands/index.ts. Import heavy modules
 * (TypeORM, kafkajs, Thrift) inside `run` with `await import(...)`, so `msched --help` and every
 * other command stay quick to start.
 */
export interface CommandGroup {
  readonly name: string;
  readonly summary: string;
  readonly commands: readonly Command[];
  /**
   * The command run when the group is followed by options or nothing, e.g. `msched local-cluster
   * --agents 4` runs `local-cluster run --agents 4`.
   */
  readonly defaultCommand?: string;
}

/** Wrong arguments: the message is shown with the command's usage, exit code 2. */
export class UsageError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The command failed for a reason the user should read (exit code 1, no stack trace). */
export class CommandFailed extends Error {
  constructor(message: string, readonly retriable = false) {
    super(message);
    this.name = 'CommandFailed';
  }
}

/** node:util parseArgs, with its errors turned into UsageError. */
export function parseOptions<T extends Options>(argv: readonly string[], options: T, opts: { positionals?: number } = {}): ParsedOptions<T> {
  try {
    const r = parseArgs({ args: [...argv], options, allowPositionals: (opts.positionals ?? 0) > 0, strict: true });
    if (r.positionals.length > (opts.positionals ?? 0)) throw new UsageError(`unexpected argument ${JSON.stringify(r.positionals[opts.positionals ?? 0])}`);
    return r;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message);
  }
}

export function findCommand(groups: readonly CommandGroup[], groupName?: string, commandName?: string): { group?: CommandGroup; command?: Command } {
  const group = groups.find((g) => g.name === groupName);
  return { group, command: group?.commands.find((c) => c.name === commandName) };
}

export function renderHelp(groups: readonly CommandGroup[], only?: CommandGroup): string {
  const shown = only ? [only] : groups;
  const lines = only ? [`msched ${only.name}: ${only.summary}`, ''] : ['msched: operate the Airavata meta-scheduler', '', 'Commands:'];
  for (const g of shown) {
    for (const c of g.commands) lines.push(`  msched ${g.name} ${c.name} ${c.usage}`.trimEnd(), `      ${c.summary}`);
  }
  lines.push('', 'Settings come from MSCHED_* environment variables (docs/configuration.md).', '');
  return lines.join('\n');
}
