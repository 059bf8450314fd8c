import winston from 'winston';

/** Ids that tie a log line to one job's story; grep any of them to follow it end to end. */
export interface JobContext {
  experimentId?: string;
  processId?: string;
  jobId?: string;
  taskId?: string;
  attempt?: number;
  gatewayId?: string;
}

export type Logger = winston.Logger;

export interface LoggerOptions {
  service: string;
  level?: 'error' | 'warn' | 'info' | 'debug';
  format?: 'auto' | 'json' | 'pretty';
  environment?: string;
  /** Where lines go; defaults to stderr so stdout stays free for command output (tables, --json). */
  stream?: NodeJS.WritableStream;
  /** Drop every line (tests that provoke errors on purpose). */
  silent?: boolean;
}

const CONTEXT_KEYS: ReadonlyArray<keyof JobContext> = ['experimentId', 'processId', 'jobId', 'taskId', 'attempt'];

/** Keys whose values must never reach a log line. */
const SECRET_KEY = /pass(word)?|secret|token|authorization|credential/i;

const redact = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (SECRET_KEY.test(key)) (info as Record<string, unknown>)[key] = '<redacted>';
  }
  if (typeof info.message === 'string') {
    // Connection URLs carry passwords: keep the user, drop the password.
    info.message = info.message.replace(/(\w+:\/\/[^:/\s]+):[^@\s]+@/g, '$1:<redacted>@');
  }
  return info;
});

function prettyLine(info: winston.Logform.TransformableInfo): string {
  const { timestamp, level, message, service, stack, ...rest } = info as Record<string, unknown>;
  const ids = CONTEXT_KEYS.filter((k) => rest[k] !== undefined).map((k) => `${k}=${rest[k]}`);
  for (const k of CONTEXT_KEYS) delete rest[k];
  const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
  return `${timestamp} ${level} [${service}]${ids.length ? ` ${ids.join(' ')}` : ''} ${message}${extra}${stack ? `\n${stack}` : ''}`;
}

export function createLogger(opts: LoggerOptions): Logger {
  const stream = opts.stream ?? process.stderr;
  const isTty = (stream as NodeJS.WriteStream).isTTY === true;
  const mode = opts.format && opts.format !== 'auto'
    ? opts.format
    : opts.environment !== 'production' && isTty ? 'pretty' : 'json';
  const fmt = mode === 'json'
    ? winston.format.combine(winston.format.errors({ stack: true }), redact(), winston.format.timestamp(), winston.format.json())
    : winston.format.combine(winston.format.errors({ stack: true }), redact(), winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
      ...(isTty ? [winston.format.colorize()] : []), winston.format.printf(prettyLine));
  return winston.createLogger({
    level: opts.level ?? 'info',
    silent: opts.silent ?? false,
    defaultMeta: { service: opts.service },
    format: fmt,
    transports: [new winston.transports.Stream({ stream })],
  });
}

/** A child logger carrying a job's ids on every line. */
export function forJob(logger: Logger, ctx: JobContext): Logger {
  const clean = Object.fromEntries(Object.entries(ctx).filter(([, v]) => v !== undefined));
  return logger.child(clean);
}
