import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { AuthzToken, connectMetaScheduler, exampleExperiment, MetaSchedulerConnection } from '@msched/airavata-thrift';
import { allTopicNames, createKafka, ensureTopics, topicName } from '@msched/bus';
import { loadConfig } from '@msched/config';
import { openDatabase } from '@msched/db';
import { PhaseResult, renderResults, runPhase } from './stats';
import { freePort, portOpen } from '@msched/devstack';

/**
 * bench/launch: N concurrent Thrift clients launching experiments against a real API process,
 * real PostgreSQL and real Kafka (its outbox relay publishes every launch): first with every launch
 * committed alone (MSCHED_API_LAUNCH_BATCH_SIZE=1), then with group commit (the default); and in
 * the same run a no-op Thrift call and a bare INSERT+COMMIT loop on the same database, for the ratios.
 *
 *   npm run bench:launch -- [--clients 16] [--launches 5000] [--keep] [--profile DIR]
 *
 * --profile writes a V8 CPU profile of the API process into DIR (open it in Chrome DevTools).
 */
const ROOT = resolve(__dirname, '../../..');
const { values: args } = parseArgs({ options: {
  clients: { type: 'string', default: '16' }, launches: { type: 'string', default: '5000' }, warmup: { type: 'string', default: '300' },
  keep: { type: 'boolean', default: false }, profile: { type: 'string' },
} });
const CLIENTS = Number(args.clients);
const LAUNCHES = Number(args.launches);
const WARMUP = Number(args.warmup);

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null) throw new Error('the API process exited during start-up');
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the API did not listen on ${port}`);
}

async function main(): Promise<void> {
  const run = `bench_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const base = loadConfig(process.env);
  const adminUrl = base.database.url.replace(/\/[^/?]*(\?|$)/, '/postgres$1');
  const dbUrl = adminUrl.replace(/\/postgres(\?|$)/, `/msched_${run}$1`);
  const env = { ...process.env, MSCHED_DATABASE_URL: dbUrl, MSCHED_KAFKA_TOPIC_PREFIX: `msched.${run}.`, MSCHED_LOG_LEVEL: 'warn', MSCHED_API_AUTH_MODE: 'none', MSCHED_API_HEALTH_PORT: '0' };
  const cfg = loadConfig(env);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "msched_${run}"`);
  const ds = await openDatabase(cfg.database, { migrate: true, applicationName: 'msched-bench' });
  const kafka = createKafka(cfg.kafka);
  const kadmin = kafka.admin();
  await kadmin.connect();
  await ensureTopics(kadmin, allTopicNames(cfg.kafka.topicPrefix), cfg.kafka);

  const token = new AuthzToken({ accessToken: 'bench' });
  const experiments = Array.from({ length: 2 * (WARMUP + LAUNCHES) }, () => exampleExperiment({ experimentId: `Exp_bench_${randomUUID()}` }));
  process.stderr.write(`bench: ${CLIENTS} clients, ${LAUNCHES} launches (+${WARMUP} warm-up) per API, ${cpus().length} cpus\n`);

  /** One API process with `apiEnv`: warm-up, the timed launches, then the relay's drain of the outbox. */
  async function launchPhase(label: string, apiEnv: Record<string, string>, from: number, profile: boolean): Promise<{ result: PhaseResult; drainMs: number }> {
    const port = await freePort();
    const nodeArgs = profile && args.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(args.profile)}`] : [];
    const api = spawn(process.execPath, [...nodeArgs, resolve(ROOT, 'services/api/dist/main.js')], { env: { ...env, ...apiEnv, MSCHED_API_PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
    const conns: MetaSchedulerConnection[] = [];
    try {
      await waitForPort(port, api);
      for (let i = 0; i < CLIENTS; i++) conns.push(await connectMetaScheduler({ host: '127.0.0.1', port }));
      await runPhase('warm-up', CLIENTS, WARMUP, (w, i) => conns[w].client.launchExperiment(token, experiments[from + i]));
      const result = await runPhase(label, CLIENTS, LAUNCHES, (w, i) => conns[w].client.launchExperiment(token, experiments[from + WARMUP + i]));
      const lastAck = Date.now();
      // The relay publishes behind the launches; wait for it to empty the outbox.
      for (;;) {
        const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL');
        if (n === 0) break;
        if (Date.now() - lastAck > 60_000) throw new Error(`${n} outbox rows still unsent a minute after the last launch: is the relay running (MSCHED_API_RUN_RELAY) and Kafka up?`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return { result, drainMs: Date.now() - lastAck };
    } finally {
      await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
      const exited = new Promise((r) => api.once('exit', r));
      api.kill('SIGTERM');
      await exited;
    }
  }

  const conns: MetaSchedulerConnection[] = [];
  let api: ChildProcess | undefined;
  try {
    // Each launch alone (its own statement and commit), then group commit (the default).
    const alone = await launchPhase('launchExperiment, each alone', { MSCHED_API_LAUNCH_BATCH_SIZE: '1' }, 0, false);
    const grouped = await launchPhase('launchExperiment, group commit', {}, WARMUP + LAUNCHES, true);
    const launch = grouped.result;
    const drainMs = grouped.drainMs;
    const offsets = await kadmin.fetchTopicOffsets(topicName(cfg.kafka.topicPrefix, 'launch'));
    const onKafka = offsets.reduce((s, o) => s + Number(o.high), 0);
    const [{ n: rows }] = await ds.query('SELECT count(*)::int AS n FROM experiments');

    const port = await freePort();
    api = spawn(process.execPath, [resolve(ROOT, 'services/api/dist/main.js')], { env: { ...env, MSCHED_API_PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitForPort(port, api);
    for (let i = 0; i < CLIENTS; i++) conns.push(await connectMetaScheduler({ host: '127.0.0.1', port }));
    const noop = await runPhase('getAPIVersion (no-op)', CLIENTS, LAUNCHES, (w) => conns[w].client.getAPIVersion());

    await ds.query('CREATE TABLE bench_insert (id uuid PRIMARY KEY, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())');
    const pgs = await Promise.all(Array.from({ length: CLIENTS }, async () => {
      const c = new Client({ connectionString: dbUrl });
      await c.connect();
      return c;
    }));
    const payload = JSON.stringify(experiments[0]);
    const insert = await runPhase('INSERT+COMMIT (autocommit)', CLIENTS, LAUNCHES, (w) => pgs[w].query('INSERT INTO bench_insert (id, payload) VALUES ($1, $2)', [randomUUID(), payload]));
    await Promise.all(pgs.map((c) => c.end()));

    process.stdout.write(`\n${renderResults([alone.result, launch, noop, insert])}\n\n`);
    process.stdout.write([
      `group commit vs each alone, launches/s: ${(launch.perSecond / alone.result.perSecond).toFixed(2)}`,
      `group commit vs each alone, p99:        ${(launch.p99Ms / alone.result.p99Ms).toFixed(2)}`,
      `launches/s vs no-op calls/s:       ${(launch.perSecond / noop.perSecond).toFixed(2)}`,
      `launches/s vs INSERT+COMMIT/s:     ${(launch.perSecond / insert.perSecond).toFixed(2)}`,
      `launch p99 vs no-op p99:           ${(launch.p99Ms / noop.p99Ms).toFixed(2)}`,
      `launch p99 vs INSERT+COMMIT p99:   ${(launch.p99Ms / insert.p99Ms).toFixed(2)}`,
      `experiments recorded:              ${rows} (expected ${2 * (WARMUP + LAUNCHES)})`,
      `launch events on Kafka:            ${onKafka} (expected ${2 * (WARMUP + LAUNCHES)})`,
      `outbox drained after last ack in:  ${drainMs} ms`,
      `aim (>= 1000 launches/s, p99 < 50 ms, >= 0.3 x INSERT+COMMIT): ${launch.perSecond >= 1000 && launch.p99Ms < 50 && launch.perSecond >= 0.3 * insert.perSecond ? 'met' : 'NOT met'}`,
      '',
    ].join('\n'));
    if (rows !== 2 * (WARMUP + LAUNCHES) || onKafka !== 2 * (WARMUP + LAUNCHES)) process.exitCode = 1;
  } finally {
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
    if (api && api.exitCode === null) {
      const exited = new Promise((r) => api?.once('exit', r));
      api.kill('SIGTERM');
      await exited;
    }
    await ds.destroy();
    if (!args.keep) {
      await kadmin.deleteTopics({ topics: allTopicNames(cfg.kafka.topicPrefix).filter((t) => t.startsWith(cfg.kafka.topicPrefix)) }).catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS "msched_${run}" WITH (FORCE)`);
    }
    await kadmin.disconnect();
    await admin.end();
  }
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
