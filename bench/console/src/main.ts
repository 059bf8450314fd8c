import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { loadConfig } from '@msched/config';
import { openDatabase } from '@msched/db';
import { createLogger } from '@msched/logging';
import { buildConsoleApp, EventHub, SessionSigner, staticAuthenticator } from '@msched/console';

/**
 * bench/console: the console's jobs page (GET /api/jobs, 100 rows) over a job database of
 * --jobs jobs (default 100,000) on the real PostgreSQL, through HTTP, schema validation and JSON,
 * against the plain SQL query of the same rows on a bare pg connection in the same run.
 *
 *   npm run bench:console -- [--jobs 100000] [--requests 500] [--keep]
 */
const { values: args } = parseArgs({ options: {
  jobs: { type: 'string', default: '100000' }, requests: { type: 'string', default: '500' }, warmup: { type: 'string', default: '50' }, keep: { type: 'boolean', default: false },
} });
const JOBS = Number(args.jobs);
const REQUESTS = Number(args.requests);
const WARMUP = Number(args.warmup);
const TOKEN = 'bench-console-token';

/** The SQL the console runs for the first page, as the baseline (same joins, order and limit). */
const PLAIN_PAGE = `SELECT j.id, j.experiment_id, e.name, j.state, e.state, e.gateway_id, e.user_name, p.resource_schedule ->> 'queueName',
  (p.resource_schedule ->> 'totalCPUCount')::integer, j.attempt, j.created_at, j.queued_at, j.launched_at, j.settled_at, j.wait_reason, j.expected_start_at, j.created_at::text
  FROM jobs j JOIN experiments e ON e.id = j.experiment_id JOIN processes p ON p.id = j.process_id
  ORDER BY j.created_at DESC, j.id DESC LIMIT 101`;

function stats(samples: number[]): { median: number; p99: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { median: at(0.5), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

/**
 * Wall times of n rounds over all phases, one call of each per round, so a load that comes and goes
 * on a shared machine weighs on every phase alike (the ratios stay fair); and this process's CPU per
 * call of each phase (client and console together; PostgreSQL not counted).
 */
async function timeInterleaved(n: number, fs: Array<() => Promise<unknown>>): Promise<Array<{ samples: number[]; cpuMs: number }>> {
  for (let i = 0; i < WARMUP; i++) for (const f of fs) await f();
  const out = fs.map(() => ({ samples: [] as number[], cpuMicros: 0 }));
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < fs.length; k++) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await fs[k]();
      out[k].samples.push(performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      out[k].cpuMicros += cpu.user + cpu.system;
    }
  }
  return out.map((o) => ({ samples: o.samples, cpuMs: o.cpuMicros / 1000 / n }));
}

async function seed(db: Client, n: number): Promise<void> {
  // One experiment, process and job per row; created_at spread over 30 days, states mixed.
  await db.query(`INSERT INTO experiments (id, gateway_id, user_name, project_id, name, payload_hash, model, state, created_at)
    SELECT 'EXP_' || g, 'gw' || (g % 3), 'user' || (g % 50), 'p', 'experiment ' || g, 'h', '{}'::jsonb,
           (ARRAY['COMPLETED','FAILED','EXECUTING','CANCELED'])[1 + g % 4], now() - (g * interval '25 seconds')
    FROM generate_series(1, $1) g`, [n]);
  await db.query(`INSERT INTO processes (id, experiment_id, state, resource_schedule, compute_resource_id, model, created_at)
    SELECT 'PROC_' || g, 'EXP_' || g, 'COMPLETED', jsonb_build_object('queueName', 'normal', 'totalCPUCount', 1 + g % 64), 'mesos-local', '{}'::jsonb, now() - (g * interval '25 seconds')
    FROM generate_series(1, $1) g`, [n]);
  await db.query(`INSERT INTO jobs (id, process_id, experiment_id, task_id, attempt, state, created_at, queued_at, launched_at, settled_at)
    SELECT 'JOB_' || g, 'PROC_' || g, 'EXP_' || g, 'TASK_' || g, 1, (ARRAY['COMPLETE','FAILED','ACTIVE','CANCELED'])[1 + g % 4],
           now() - (g * interval '25 seconds'), now() - (g * interval '25 seconds'), now() - (g * interval '25 seconds') + interval '3 seconds',
           now() - (g * interval '25 seconds') + interval '60 seconds'
    FROM generate_series(1, $1) g`, [n]);
  await db.query('ANALYZE experiments; ANALYZE processes; ANALYZE jobs');
}

async function main(): Promise<void> {
  const run = `bench_console_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const base = loadConfig(process.env);
  const adminUrl = base.database.url.replace(/\/[^/?]*(\?|$)/, '/postgres$1');
  const dbUrl = adminUrl.replace(/\/postgres(\?|$)/, `/msched_${run}$1`);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "msched_${run}"`);
  const cfg = loadConfig({ ...process.env, MSCHED_DATABASE_URL: dbUrl });
  const ds = await openDatabase(cfg.database, { migrate: true, applicationName: 'bench-console' });
  const plain = new Client({ connectionString: dbUrl });
  await plain.connect();
  let app: ReturnType<typeof buildConsoleApp> | undefined;
  try {
    const t0 = performance.now();
    await seed(plain, JOBS);
    process.stdout.write(`seeded ${JOBS.toLocaleString('en')} jobs in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

    app = buildConsoleApp({
      ds, logger: createLogger({ service: 'bench', silent: true }), hub: new EventHub(),
      authenticate: staticAuthenticator({ operatorToken: TOKEN, viewerToken: '' }), sessions: new SessionSigner(TOKEN, 3600_000),
      cancel: async () => { throw new Error('not in this benchmark'); },
      clusterState: async () => { throw new Error('not in this benchmark'); },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const headers = { Authorization: `Bearer ${TOKEN}` };
    const get = async (path: string): Promise<{ jobs: unknown[]; next?: string }> => {
      const r = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return r.json() as Promise<{ jobs: unknown[]; next?: string }>;
    };
    const first = await get('/api/jobs?limit=100');
    if (first.jobs.length !== 100 || !first.next) throw new Error('the first page is not 100 rows with a next page');
    // A cursor deep in the table (about row 50,000): keyset paging must cost what the first page does.
    const [{ created_at: deepAt, id: deepId }] = (await plain.query(`SELECT created_at::text, id FROM jobs ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`, [Math.floor(JOBS / 2)])).rows;
    const deepCursor = Buffer.from(`${deepAt}|${deepId}`).toString('base64url');

    const phases: Array<[string, () => Promise<unknown>]> = [
      ['plain SQL, first 100 rows (baseline)', () => plain.query(PLAIN_PAGE)],
      ['GET /api/jobs?limit=100 (first page)', () => get('/api/jobs?limit=100')],
      ['GET /api/jobs?limit=100&cursor=… (row 50,000)', () => get(`/api/jobs?limit=100&cursor=${deepCursor}`)],
      ['GET /api/jobs?limit=100&state=FAILED', () => get('/api/jobs?limit=100&state=FAILED')],
      ['GET /api/jobs?limit=100&user=user7', () => get('/api/jobs?limit=100&user=user7')],
      ['GET /api/jobs?limit=100&gateway=gw1', () => get('/api/jobs?limit=100&gateway=gw1')],
      ['GET /api/jobs?limit=100&queue=normal', () => get('/api/jobs?limit=100&queue=normal')],
    ];
    const results: Array<{ name: string; median: number; p99: number; mean: number; cpuMs: number }> = [];
    const load0 = loadavg()[0];
    const timed = await timeInterleaved(REQUESTS, phases.map(([, f]) => f));
    phases.forEach(([name], k) => results.push({ name, ...stats(timed[k].samples), cpuMs: timed[k].cpuMs }));
    const baseline = results[0];
    process.stdout.write(`\n${JOBS.toLocaleString('en')} jobs, ${REQUESTS} requests per row (rounds over all rows) after ${WARMUP} warm-up, one client, PostgreSQL ${(await plain.query('SHOW server_version')).rows[0].server_version}`);
    process.stdout.write(`, load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)} on ${require('node:os').cpus().length} CPUs\n\n`);
    process.stdout.write(`${'query'.padEnd(48)} ${'median ms'.padStart(10)} ${'p99 ms'.padStart(9)} ${'p99/base'.padStart(9)} ${'node CPU ms/req'.padStart(16)}\n`);
    for (const r of results) {
      process.stdout.write(`${r.name.padEnd(48)} ${r.median.toFixed(2).padStart(10)} ${r.p99.toFixed(2).padStart(9)} ${(r.p99 / baseline.p99).toFixed(2).padStart(9)} ${r.cpuMs.toFixed(2).padStart(16)}\n`);
    }
    // The target is the jobs page as it opens and as it pages; filters are reported beside it.
    const page = Math.max(...results.slice(1, 3).map((r) => r.p99));
    const filters = Math.max(...results.slice(3).map((r) => r.p99));
    process.stdout.write(`\njobs page p99 (first page, deep cursor): ${page.toFixed(2)} ms (target ≤ 50 ms): ${page <= 50 ? 'met' : 'NOT met'}`);
    process.stdout.write(`; with a filter, worst p99: ${filters.toFixed(2)} ms\n`);
  } finally {
    await app?.close();
    await plain.end();
    await ds.destroy();
    if (!args.keep) await admin.query(`DROP DATABASE IF EXISTS "msched_${run}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e) => {
  process.stderr.write(`bench:console: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
