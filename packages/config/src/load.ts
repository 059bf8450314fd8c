import { readFileSync } from 'node:fs';
import { Setting, SettingParseError } from './settings';
import { schema, Schema } from './schema';

/** The typed configuration: the schema tree with every Setting<T> replaced by T. */
export type ConfigOf<S> = {
  readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : ConfigOf<S[K]>;
};
export type Config = ConfigOf<Schema>;

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function isSetting(x: unknown): x is Setting<unknown> {
  return typeof x === 'object' && x !== null && 'env' in x && 'parse' in x;
}

/** Every setting in schema order, with its dotted path. */
export function listSettings(tree: object = schema, prefix = ''): Array<{ path: string; setting: Setting<unknown> }> {
  const out: Array<{ path: string; setting: Setting<unknown> }> = [];
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isSetting(value)) out.push({ path, setting: value });
    else out.push(...listSettings(value as object, path));
  }
  return out;
}

/**
 * Reads an optional settings file: JSON object of VARIABLE → value, or KEY=VALUE lines (# comments).
 * Values from the environment win over the file.
 */
export function readSettingsFile(path: string): Env {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([`MSCHED_CONFIG_FILE="${path}": cannot be read (${(e as Error).message})`]);
  }
  if (path.endsWith('.json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new ConfigError([`MSCHED_CONFIG_FILE="${path}": not valid JSON (${(e as Error).message})`]);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError([`MSCHED_CONFIG_FILE="${path}": expected a JSON object of VARIABLE: "value"`]);
    }
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  }
  const env: Env = {};
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const eq = t.indexOf('=');
    if (eq <= 0) throw new ConfigError([`MSCHED_CONFIG_FILE="${path}" line ${i + 1}: expected KEY=VALUE`]);
    env[t.slice(0, eq).trim()] = t.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  });
  return env;
}

function build(tree: object, env: Env, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tree)) {
    if (!isSetting(value)) {
      out[key] = build(value as object, env, problems);
      continue;
    }
    const raw = env[value.env] ?? value.default;
    if (raw === undefined) {
      problems.push(`${value.env} is not set: expected ${value.expects}. ${value.doc}`);
      continue;
    }
    try {
      out[key] = value.parse(raw);
    } catch (e) {
      if (!(e instanceof SettingParseError)) throw e;
      const shown = value.secret ? '<redacted>' : JSON.stringify(raw);
      problems.push(`${value.env}=${shown} is invalid: expected ${value.expects}${e.told && !value.secret ? `; ${e.message}` : ''}`);
    }
  }
  return out;
}

/**
 * Loads and validates the whole configuration at once, so an operator sees every wrong value in one
 * message instead of fixing them one restart at a time.
 */
export function loadConfig(env: Env = process.env): Config {
  const fromFile = env.MSCHED_CONFIG_FILE ? readSettingsFile(env.MSCHED_CONFIG_FILE) : {};
  const merged: Env = { ...fromFile, ...env };
  const problems: string[] = [];
  const known = new Set(listSettings().map((s) => s.setting.env));
  known.add('MSCHED_CONFIG_FILE');
  const cfg = build(schema, merged, problems);
  for (const name of Object.keys(fromFile)) {
    if (!known.has(name)) problems.push(`${name} in MSCHED_CONFIG_FILE is not a known setting (see docs/configuration.md)`);
  }
  if (problems.length) throw new ConfigError(problems);
  return deepFreeze(cfg) as unknown as Config;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}

/** Renders a Markdown reference of every setting (used to generate docs/configuration.md). */
export function renderConfigDocs(): string {
  const rows = listSettings().map(({ path, setting }) =>
    `| \`${setting.env}\` | \`${path}\` | ${setting.default === undefined ? '(required)' : `\`${setting.default || '""'}\``} | ${setting.expects} | ${setting.doc} |`);
  return [
    '# Configuration reference',
    '',
    'Every setting comes from an environment variable. `MSCHED_CONFIG_FILE` may name a file of',
    '`KEY=VALUE` lines (or a JSON object) read first; the environment overrides it. Every value is',
    'checked at start-up and a wrong one stops the service with a message naming the variable, the',
    'value and what is expected. Secrets (the database URL) are never echoed.',
    '',
    'This file is generated by `npm run docs:config`; a test fails if it is stale.',
    '',
    '| Variable | Path | Default | Accepts | Meaning |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
