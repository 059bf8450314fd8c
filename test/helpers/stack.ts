import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig, Config } from '@msched/config';
import { allTopicNames, createKafka, ensureTopics } from '@msched/bus';
import { openDatabase } from '@msched/db';
import type { DataSource } from 'typeorm';

/**
 * Test isolation on one shared stack: every test run gets its own database, topic prefix and
 * ZooKeeper root, so suites (and developers) running at once never see each other's data.
 */
export const RUN_ID = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

const base = loadConfig(process.env);
const adminUrl = process.env.MSCHED_TEST_PG_URL ?? base.database.url.replace(/\/[^/?]*(\?|$)/, '/postgres$1');

export function dbUrlFor(name: string): string {
  return adminUrl.replace(/\/postgres(\?|$)/, `/${name}$1`);
}

/** A config for this test run: same servers, isolated names. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    ...process.env,
    MSCHED_ENV: 'test',
    MSCHED_DATABASE_URL: dbUrlFor(`msched_${RUN_ID}`),
    MSCHED_KAFKA_TOPIC_PREFIX: `msched.${RUN_ID}.`,
    MSCHED_KAFKA_PARTITIONS: '2',
    MSCHED_KAFKA_SESSION_TIMEOUT_MS: '6000',
    MSCHED_ZK_ROOT: `/msched-test/${RUN_ID}`,
    MSCHED_LOG_LEVEL: process.env.MSCHED_LOG_LEVEL ?? 'warn',
    // oidc (the production default) needs a Keycloak; suites that test authorization set their mode.
    MSCHED_API_AUTH_MODE: 'none',
    ...overrides,
  });
}

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates (once per run) and migrates this run's database; returns an open DataSource. */
export async function freshDatabase(cfg: Config = testConfig()): Promise<DataSource> {
  const name = new URL(cfg.database.url).pathname.slice(1);
  await withAdmin(async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname=$1', [name]);
    if (!rowCount) await c.query(`CREATE DATABASE "${name}"`);
  });
  return openDatabase(cfg.database, { migrate: true, applicationName: 'msched-test' });
}

export async function dropRunDatabases(): Promise<void> {
  await withAdmin(async (c) => {
    const { rows } = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`msched_${RUN_ID}%`]);
    for (const r of rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
  });
}

/** Creates this run's topics (all of them, under the run's prefix). */
export async function ensureRunTopics(cfg: Config = testConfig()): Promise<string[]> {
  const admin = createKafka({ ...cfg.kafka }).admin();
  await admin.connect();
  try {
    const names = allTopicNames(cfg.kafka.topicPrefix);
    await ensureTopics(admin, names, cfg.kafka);
    return names;
  } finally {
    await admin.disconnect();
  }
}

export async function deleteRunTopics(cfg: Config = testConfig()): Promise<void> {
  const admin = createKafka({ ...cfg.kafka }).admin();
  await admin.connect();
  try {
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(cfg.kafka.topicPrefix));
    if (mine.length) await admin.deleteTopics({ topics: mine, timeout: 10000 });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Fails fast, naming the server and the fix, when part of the stack is down. Integration suites call
 * it in `before`, so a stopped Kafka reads as "Kafka ... does not answer" instead of a timeout.
 */
export async function requireStack(...parts: Array<'postgres' | 'kafka' | 'zookeeper'>): Promise<void> {
  const { pgAnswers, kafkaAnswers } = await import('@msched/devstack');
  const { ruok } = await import('@msched/zk');
  const cfg = testConfig();
  for (const part of parts) {
    if (part === 'postgres' && !(await pgAnswers(adminUrl))) throw new Error(`PostgreSQL at ${new URL(adminUrl).host} does not answer: start it or run npm run stack:up`);
    if (part === 'kafka' && !(await kafkaAnswers(cfg.kafka.brokers[0]))) throw new Error(`Kafka at ${cfg.kafka.brokers.join(',')} does not answer: run npm run stack:up`);
    if (part === 'zookeeper' && !(await ruok(cfg.zookeeper.connect[0]))) throw new Error(`ZooKeeper at ${cfg.zookeeper.connect.join(',')} does not answer: run npm run stack:up`);
  }
}
