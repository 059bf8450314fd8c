import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { exampleExperiment } from '@msched/airavata-thrift';
import { verifyToken } from '@msched/access-token';
import { IdSource, planLaunch, policyFromConfig } from '@msched/api';
import type { Config } from '@msched/config';
import { appendStatus, insertLaunch, setState, withTransaction } from '@msched/db';
import { dbUrlFor, RUN_ID, requireStack } from '../../helpers/stack';
import { ownDatabase } from '../../helpers/own-database';
import { msched } from '../../helpers/msched';

const npxMsched = (args: string[], env: Record<string, string>) => msched(args, env, 'npx');

describe('msched CLI (integration, real binary)', function () {
  let cfg: Config;
  let ds: DataSource;
  let env: Record<string, string>;
  let active: { experimentId: string; jobId: string; processId: string };
  let waiting: { experimentId: string; jobId: string };

  async function seed(state?: string) {
    let n = 0;
    const ids: IdSource = { processId: () => `P-${randomUUID()}`, jobId: () => `JOB_cli_${n++}_${randomUUID()}`, taskId: () => `T-${randomUUID()}` };
    const plan = planLaunch(exampleExperiment(), policyFromConfig(cfg.api), ids, new Date());
    await insertLaunch(ds, plan.launch);
    if (state) {
      await withTransaction(ds, async (tx) => {
        await setState(tx, 'job', plan.ids.jobId, state);
        await appendStatus(tx, { entityType: 'job', entityId: plan.ids.jobId, experimentId: plan.ids.experimentId, state, reason: 'gang placed on 2 agents', source: 'dispatcher' });
      });
      await ds.query(`INSERT INTO tasks (id, job_id, agent_id, hostname, ranks, state) VALUES ($1, $2, 'S1', 'agent-1', '{0,1}', 'TASK_RUNNING'), ($3, $2, 'S2', 'agent-2', '{2,3}', 'TASK_RUNNING')`,
        [`${plan.ids.jobId}-0`, plan.ids.jobId, `${plan.ids.jobId}-1`]);
    }
    return plan.ids;
  }

  before(async () => {
    await requireStack('postgres');
    ({ cfg, ds } = await ownDatabase('cli'));
    env = { MSCHED_DATABASE_URL: cfg.database.url };
    active = await seed('ACTIVE');
    waiting = await seed();
  });
  after(async () => { await ds?.destroy(); });

  it('lists jobs as a table for people and as JSON for scripts', async () => {
    const table = await msched(['jobs', 'list'], env);
    assert.equal(table.code, 0, table.err);
    const lines = table.out.trim().split('\n');
    assert.match(lines[0], /^JOB\s+STATE\s+TRY\s+EXPERIMENT\s+GATEWAY\s+USER\s+QUEUE\s+CPUS\s+TASKS\s+WAIT\s+EXPECTED START\s+RUN\s+UPDATED\s+REASON$/);
    assert.ok(lines.some((l) => l.startsWith(active.jobId) && /\bACTIVE\b/.test(l) && /\bnormal\b/.test(l)));
    assert.ok(lines.some((l) => l.startsWith(waiting.jobId) && /\bSUBMITTED\b/.test(l)));

    const json = await msched(['jobs', 'list', '--json'], env);
    assert.equal(json.code, 0, json.err);
    const jobs = JSON.parse(json.out) as Array<{ jobId: string; state: string; taskCount: number }>;
    assert.deepEqual(jobs.find((j) => j.jobId === active.jobId)?.taskCount, 2);
  });

  it('filters jobs by state', async () => {
    const r = await msched(['jobs', 'list', '--state', 'active', '--json'], env);
    assert.equal(r.code, 0, r.err);
    const jobs = JSON.parse(r.out) as Array<{ jobId: string; state: string }>;
    assert.ok(jobs.length >= 1);
    assert.ok(jobs.every((j) => j.state === 'ACTIVE'));
    assert.ok(!jobs.some((j) => j.jobId === waiting.jobId));
    const none = await msched(['jobs', 'list', '--state', 'SUSPENDED'], env);
    assert.deepEqual([none.code, none.out], [0, 'no SUSPENDED jobs\n']);
  });

  it('shows one job with its tasks and history', async () => {
    const r = await msched(['jobs', 'show', active.jobId], env);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`^job:\\s+${active.jobId}$`, 'm'));
    assert.match(r.out, /^state:\s+ACTIVE$/m);
    assert.match(r.out, /^queue:\s+normal$/m);
    assert.match(r.out, /^Tasks \(2\)$/m);
    assert.match(r.out, /-0\s+TASK_RUNNING\s+S1\s+agent-1\s+0,1/);
    assert.match(r.out, /^History \(5\)$/m);
    assert.match(r.out, /job\s+\S+\s+ACTIVE\s+dispatcher\s+gang placed on 2 agents/);

    const j = await msched(['jobs', 'show', active.jobId, '--json'], env);
    const detail = JSON.parse(j.out);
    assert.equal(detail.job.jobId, active.jobId);
    assert.deepEqual(detail.tasks.map((t: { ranks: number[] }) => t.ranks), [[0, 1], [2, 3]]);
    assert.deepEqual(detail.history.map((h: { state: string }) => h.state), ['CREATED', 'LAUNCHED', 'CREATED', 'SUBMITTED', 'ACTIVE']);
  });

  it('npx msched jobs show and jobs list tell why a waiting gang waits, and for how long', async () => {
    const reason = 'needs 4 cpus on 2 agents; the largest free offer has 1 cpu (holding 1 offer)';
    const queued = await seed();
    const seeded = Date.now();
    await withTransaction(ds, async (tx) => {
      await setState(tx, 'job', queued.jobId, 'QUEUED');
      // What the dispatcher records: queued 2 min ago, the offer policy's reason since then.
      await tx.query(`UPDATE jobs SET queued_at = now() - interval '125 seconds', wait_reason = $2, wait_reason_at = now() WHERE id = $1`, [queued.jobId, reason]);
    });
    // "2m05s" → 125; the wait counts from 125 s before the seed up to when the command ran.
    const seconds = (d: string) => {
      const m = /^(\d+)m(\d\d)s$/.exec(d);
      return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
    };
    const waitedAround = (d: string) => {
      const s = seconds(d);
      assert.ok(s >= 125 && s <= 126 + (Date.now() - seeded) / 1000, `waited ${d}: expected 125 s plus the time since the seed`);
    };
    const show = await npxMsched(['jobs', 'show', queued.jobId], env);
    assert.equal(show.code, 0, show.err);
    assert.match(show.out, new RegExp(`^waiting for:\\s+${reason.replace(/[()]/g, '\\$&')} \\(since \\d{4}-`, 'm'));
    waitedAround(/^waited:\s+(\S+)$/m.exec(show.out)?.[1] ?? '');
    assert.match(show.out, /^ran:\s+-$/m);

    const list = await npxMsched(['jobs', 'list', '--state', 'QUEUED'], env);
    assert.equal(list.code, 0, list.err);
    const row = list.out.split('\n').find((l) => l.startsWith(queued.jobId));
    assert.ok(row, list.out);
    const cells = /\bQUEUED\b.*\s(\d+m\d\ds)\s+not estimated\s+-\s+\S+\s+needs 4 cpus on 2 agents/.exec(row);
    assert.ok(cells, row);
    waitedAround(cells[1]);
  });

  it('jobs list and jobs show give a waiting gang\'s expected start, also in --json; jobs show keeps it after the launch', async () => {
    const queued = await seed();
    const seeded = Date.now();
    await withTransaction(ds, async (tx) => {
      await setState(tx, 'job', queued.jobId, 'QUEUED');
      await tx.query(`UPDATE jobs SET queued_at = now(), wait_reason = '#2 in the queue of role mpi', wait_reason_at = now(),
        expected_start_at = now() + interval '605 seconds' WHERE id = $1`, [queued.jobId]);
    });
    const [{ at }] = await ds.query('SELECT expected_start_at AS at FROM jobs WHERE id = $1', [queued.jobId]);
    const hms = new Date(at).toISOString().slice(11, 19);
    // "(in 9m58s)": 605 s less the time the commands took since the seed (several seconds on a busy machine).
    const inAround = (text: string) => {
      const m = new RegExp(`${hms}Z \\(in (\\d+)m(\\d\\d)s\\)`).exec(text);
      assert.ok(m, text);
      const s = Number(m[1]) * 60 + Number(m[2]);
      assert.ok(s <= 605 && s >= 604 - (Date.now() - seeded) / 1000, `in ${m[1]}m${m[2]}s: expected 605 s less the time since the seed`);
    };
    const list = await msched(['jobs', 'list', '--state', 'QUEUED'], env);
    const row = list.out.split('\n').find((l) => l.startsWith(queued.jobId));
    assert.match(row ?? '', new RegExp(`\\s${hms}Z \\(in \\d+m\\d\\ds\\)\\s`), list.out);
    inAround(row ?? '');
    const show = await msched(['jobs', 'show', queued.jobId], env);
    assert.match(show.out, new RegExp(`^expected start:\\s+${hms}Z \\(in \\d+m\\d\\ds\\)$`, 'm'));
    inAround(show.out);
    const asJson = JSON.parse((await msched(['jobs', 'list', '--state', 'QUEUED', '--json'], env)).out);
    assert.equal(new Date(asJson.find((j: { jobId: string }) => j.jobId === queued.jobId).expectedStartAt).getTime(), new Date(at).getTime());
    const shownJson = JSON.parse((await msched(['jobs', 'show', queued.jobId, '--json'], env)).out);
    assert.equal(new Date(shownJson.job.expectedStartAt).getTime(), new Date(at).getTime());

    await ds.query('UPDATE jobs SET launched_at = now(), state = \'ACTIVE\' WHERE id = $1', [queued.jobId]);
    const after = await msched(['jobs', 'show', queued.jobId], env);
    assert.match(after.out, /^expected start:\s+-$/m);
    assert.match(after.out, new RegExp(`^was expected:\\s+\\S+T${hms}Z, launched `, 'm'));
    const afterList = await msched(['jobs', 'list', '--state', 'ACTIVE'], env);
    assert.doesNotMatch(afterList.out.split('\n').find((l) => l.startsWith(queued.jobId)) ?? '', /\(in \d/);
  });

  it('says what is wrong: unknown job (1), bad arguments and unknown commands (2)', async () => {
    const missing = await msched(['jobs', 'show', 'JOB_nope'], env);
    assert.deepEqual([missing.code, missing.err], [1, 'msched jobs show: no job JOB_nope\n']);
    const badState = await msched(['jobs', 'list', '--state', 'RUNNING'], env);
    assert.equal(badState.code, 2);
    assert.match(badState.err, /--state RUNNING is not a job state \(one of SUBMITTED, QUEUED, ACTIVE/);
    assert.match(badState.err, /usage: msched jobs list \[--state STATE\]/);
    const badFlag = await msched(['jobs', 'list', '--colour'], env);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.err, /Unknown option '--colour'/);
    const unknown = await msched(['frobnicate'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command "frobnicate"[\s\S]*msched jobs list/);
    const help = await msched(['--help'], env);
    assert.equal(help.code, 0);
    assert.match(help.out, /msched db migrate/);
  });

  it('fails with the reason when the database cannot be reached, hiding its password', async () => {
    const r = await msched(['jobs', 'list'], { MSCHED_DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/x' });
    assert.equal(r.code, 1);
    assert.match(r.err, /cannot connect to PostgreSQL \(postgres:\/\/postgres:<redacted>@127\.0\.0\.1:1\/x\)/);
    assert.doesNotMatch(r.err, /hunter2/);
  });

  it('migrates an empty database, then finds nothing to do', async () => {
    const name = `msched_${RUN_ID}_cli_migrate`;
    const admin = new Client({ connectionString: dbUrlFor('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const first = await msched(['db', 'migrate'], { MSCHED_DATABASE_URL: dbUrlFor(name) });
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /^applied \d+ migration\(s\):\n  JobDatabase1763780400000\n  OperatorViews1763780400001\n/);
    const again = await msched(['db', 'migrate'], { MSCHED_DATABASE_URL: dbUrlFor(name) });
    assert.deepEqual([again.code, again.out], [0, 'the schema is up to date\n']);
  });

  it('mints an access token the API verifies', async () => {
    const r = await msched(['api', 'token', '--gateway', 'gw-1', '--user', 'ops', '--ttl', '60'], { MSCHED_API_AUTH_SECRET: 'k' });
    assert.equal(r.code, 0, r.err);
    const claims = verifyToken('k', r.out.trim());
    assert.equal(claims.gateway, 'gw-1');
    assert.equal(claims.sub, 'ops');
  });
});
