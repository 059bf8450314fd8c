/**
 * Declarative setting definitions. Each setting knows its environment variable, its default and how
 * to parse a raw string, so the loader, the validator and the generated documentation share one
 * source of truth.
 */
export type Parser<T> = (raw: string) => T;

export interface Setting<T> {
  readonly env: string;
  readonly doc: string;
  /** Human description of an acceptable value, used in error messages. */
  readonly expects: string;
  readonly parse: Parser<T>;
  /** Raw default (as it would be written in the environment); undefined means required. */
  readonly default?: string;
  /** Secrets are never echoed back in errors or logs. */
  readonly secret?: boolean;
}

/**
 * A raw value a setting refuses. `told` marks a message written for the operator (which pair, which
 * gateway), appended to the loader's "expected ..." line; other messages stay internal.
 */
export class SettingParseError extends Error {
  constructor(message: string, readonly told = false) {
    super(message);
  }
}

function setting<T>(env: string, expects: string, parse: Parser<T>, doc: string, def?: string, secret = false): Setting<T> {
  return { env, expects, parse, doc, default: def, secret };
}

export const str = (env: string, doc: string, def?: string, opts: { secret?: boolean } = {}): Setting<string> =>
  setting(env, 'a non-empty string', (raw) => {
    if (raw.length === 0) throw new SettingParseError('empty');
    return raw;
  }, doc, def, opts.secret ?? false);

/** A string that may legitimately be empty (e.g. "no AMQP URL"). */
export const optStr = (env: string, doc: string, def = '', opts: { secret?: boolean } = {}): Setting<string> =>
  setting(env, 'a string (may be empty)', (raw) => raw, doc, def, opts.secret ?? false);

export const int = (env: string, doc: string, def: number | undefined, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Setting<number> =>
  setting(env, `an integer between ${min} and ${max}`, (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new SettingParseError('not an integer');
    const n = Number(raw.trim());
    if (n < min || n > max) throw new SettingParseError('out of range');
    return n;
  }, doc, def === undefined ? undefined : String(def));

export const port = (env: string, doc: string, def: number): Setting<number> => {
  const base = int(env, doc, def, 1, 65535);
  return { ...base, expects: 'a TCP port number between 1 and 65535' };
};

export const num = (env: string, doc: string, def: number, min = 0): Setting<number> =>
  setting(env, `a number >= ${min}`, (raw) => {
    const n = Number(raw.trim());
    if (raw.trim() === '' || !Number.isFinite(n) || n < min) throw new SettingParseError('not a number in range');
    return n;
  }, doc, String(def));

export const bool = (env: string, doc: string, def: boolean): Setting<boolean> =>
  setting(env, 'one of true, false, 1, 0, yes, no', (raw) => {
    const v = raw.trim().toLowerCase();
    if (['true', '1', 'yes'].includes(v)) return true;
    if (['false', '0', 'no'].includes(v)) return false;
    throw new SettingParseError('not a boolean');
  }, doc, String(def));

export const oneOf = <T extends string>(env: string, doc: string, values: readonly T[], def: T): Setting<T> =>
  setting(env, `one of ${values.join(', ')}`, (raw) => {
    const v = raw.trim() as T;
    if (!values.includes(v)) throw new SettingParseError('not allowed');
    return v;
  }, doc, def);

/** Comma-separated list of non-empty items. */
export const list = (env: string, doc: string, def: string): Setting<string[]> =>
  setting(env, 'a comma-separated list of non-empty items', (raw) => {
    const items = raw.split(',').map((s) => s.trim());
    if (items.some((s) => s.length === 0)) throw new SettingParseError('empty item');
    return items;
  }, doc, def);

/** host:port pairs, comma separated (Kafka brokers, ZooKeeper ensembles). */
export const hostPorts = (env: string, doc: string, def: string): Setting<string[]> =>
  setting(env, 'a comma-separated list of host:port', (raw) => {
    const items = raw.split(',').map((s) => s.trim());
    for (const item of items) {
      const m = /^([A-Za-z0-9_.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(item);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new SettingParseError('bad host:port');
    }
    return items;
  }, doc, def);

export const url = (env: string, doc: string, def: string | undefined, protocols: readonly string[], opts: { secret?: boolean; allowEmpty?: boolean } = {}): Setting<string> =>
  setting(env, `a URL with scheme ${protocols.join(' or ')}${opts.allowEmpty ? ' (or empty to disable)' : ''}`, (raw) => {
    if (opts.allowEmpty && raw.trim() === '') return '';
    let u: URL;
    try {
      u = new URL(raw.trim());
    } catch {
      throw new SettingParseError('not a URL');
    }
    if (!protocols.includes(u.protocol.replace(/:$/, ''))) throw new SettingParseError('wrong scheme');
    return raw.trim();
  }, doc, def, opts.secret ?? false);

/** Key=value pairs separated by commas, e.g. queue→role maps. */
export const mapping = (env: string, doc: string, def: string): Setting<Record<string, string>> =>
  setting(env, 'comma-separated key=value pairs', (raw) => {
    const out: Record<string, string> = {};
    if (raw.trim() === '') return out;
    for (const pair of raw.split(',')) {
      const i = pair.indexOf('=');
      const k = pair.slice(0, i).trim();
      const v = pair.slice(i + 1).trim();
      if (i <= 0 || !k || !v) throw new SettingParseError('bad pair');
      out[k] = v;
    }
    return out;
  }, doc, def);

/** Splits `key=value` pairs (comma separated; empty means none), naming the first malformed pair. */
function pairs(raw: string): Array<[string, string]> {
  if (raw.trim() === '') return [];
  return raw.split(',').map((pair) => {
    const i = pair.indexOf('=');
    const k = pair.slice(0, i).trim();
    const v = pair.slice(i + 1).trim();
    if (i <= 0 || !k || !v) throw new SettingParseError(`"${pair.trim()}" is not key=value`, true);
    return [k, v];
  });
}

/** key=number pairs, each number > 0 (relative weights, e.g. gateway shares). */
export const weights = (env: string, doc: string, def: string): Setting<Record<string, number>> =>
  setting(env, 'comma-separated key=number pairs, each number > 0 (or empty)', (raw) => {
    const out: Record<string, number> = {};
    for (const [k, v] of pairs(raw)) {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new SettingParseError(`${k}=${v}: the weight must be a number > 0`, true);
      if (k in out) throw new SettingParseError(`${k} is given twice`, true);
      out[k] = n;
    }
    return out;
  }, doc, def);

/** key=integer pairs, each integer >= min (limits per key, e.g. quotas per gateway). */
export const limits = (env: string, doc: string, def: string, min = 1): Setting<Record<string, number>> =>
  setting(env, `comma-separated key=integer pairs, each integer >= ${min} (or empty)`, (raw) => {
    const out: Record<string, number> = {};
    for (const [k, v] of pairs(raw)) {
      if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) throw new SettingParseError(`${k}=${v}: the limit must be an integer >= ${min}`, true);
      if (k in out) throw new SettingParseError(`${k} is given twice`, true);
      out[k] = Number(v);
    }
    return out;
  }, doc, def);

/** A number strictly greater than 0 (a half-life, a period). */
export const positive = (env: string, doc: string, def: number): Setting<number> =>
  setting(env, 'a number > 0', (raw) => {
    const n = Number(raw.trim());
    if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) throw new SettingParseError('not a positive number');
    return n;
  }, doc, String(def));
