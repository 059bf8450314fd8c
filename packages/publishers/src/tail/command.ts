import { createKafka, topicName } from '@msched/bus';
import { ConfigError, Env, loadConfig } from '@msched/config';
import { createLogger } from '@msched/logging';
import { parseTailArgs, TailArgsError, TAIL_USAGE } from './args';
import { followEvents } from './follow';

export interface CommandIo {
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
  readonly env?: Env;
  /** Ends the command (tests); otherwise SIGINT / SIGTERM do. */
  readonly signal?: AbortSignal;
}

/**
 * `msched events tail [--experiment ID] [--json] [--from-beginning]`; `argv` is what follows
 * `events tail`. Runs until interrupted; resolves with the exit code (2 for bad arguments or
 * configuration, 1 when Kafka cannot be reached).
 */
export async function eventsTailCommand(argv: readonly string[], io: CommandIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let args;
  let cfg;
  try {
    args = parseTailArgs(argv);
    if (args.help) {
      stdout.write(`${TAIL_USAGE}\n`);
      return 0;
    }
    cfg = loadConfig(io.env ?? process.env);
  } catch (e) {
    if (!(e instanceof TailArgsError) && !(e instanceof ConfigError)) throw e;
    stderr.write(`${e.message}\n${e instanceof TailArgsError ? `\n${TAIL_USAGE}\n` : ''}`);
    return 2;
  }
  const logger = createLogger({ service: 'msched', level: cfg.log.level === 'debug' ? 'debug' : 'error', format: cfg.log.format, environment: cfg.environment, stream: stderr });
  const topic = topicName(cfg.kafka.topicPrefix, 'events');
  let follower;
  try {
    follower = await followEvents({
      kafka: createKafka({ ...cfg.kafka, clientId: `${cfg.kafka.clientId}-tail` }, logger),
      topic,
      groupPrefix: `${cfg.kafka.topicPrefix}tail.`,
      experimentId: args.experimentId,
      json: args.json,
      fromBeginning: args.fromBeginning,
      write: (line) => { stdout.write(`${line}\n`); },
    });
  } catch (e) {
    stderr.write(`cannot follow ${topic} on ${cfg.kafka.brokers.join(',')}: ${(e as Error).message}\n`);
    return 1;
  }
  if (!args.json) stderr.write(`following ${topic}${args.experimentId ? ` for experiment ${args.experimentId}` : ''}${args.fromBeginning ? ' from the beginning' : ''} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (io.signal?.aborted) done();
    io.signal?.addEventListener('abort', done, { once: true });
  });
  await follower.stop();
  return 0;
}
