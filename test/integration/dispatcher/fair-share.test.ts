import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { dispatcherSuite, eventually, seedJob, shellApp, type SeededJob } from './support';

const BIN = resolve(__dirname, '../../../../packages/cli/dist/main.js');

/** The msched binary as an operator runs it, on the suite's database. */
function msched(args: string[], databaseUrl: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, MSCHED_LOG_LEVEL: 'warn', MSCHED_DATABASE_URL: databaseUrl } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => ok({ code, out, err }));
  });
}

const EXPECTED_START = /\s(?:\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\dZ \((?:in \S+|due)\)\s/;

/**
 * Done when (issue 23): two gateways on the local cluster, one flooding with 50 gangs, the other
 * sending 5: the second's gangs start before the flood's tail, and `msched jobs list` shows each
 * waiting gang's expected start. Fair share is the dispatcher's default order. 4 one-cpu slots;
 * each gang is one rank sleeping a second, with a 30 s wall-time limit (estimates count on it).
 */
describe('dispatcher: fair share between two gateways on the local cluster', function () {
  this.timeout(240_000);
  const suite = dispatcherSuite('dfair', { agents: 2, cpus: 2 });

  async function launchedCount(jobs: readonly SeededJob[]): Promise<number> {
    const [r] = await suite.ds.query('SELECT count(*)::int AS n FROM jobs WHERE id = ANY($1::text[]) AND launched_at IS NOT NULL', [jobs.map((j) => j.jobId)]);
    return r.n;
  }

  it('starts the small gateway\'s gangs before the flood\'s tail, and msched jobs list shows every waiting gang\'s expected start', async () => {
    const gang = (gatewayId: string, userName: string) => seedJob(suite.ds, { ranks: 1, argv: shellApp('sleep 1'), wallTimeSeconds: 30, gatewayId, userName });
    const flood: SeededJob[] = [];
    for (let i = 0; i < 50; i++) flood.push(await gang('gw-flood', `flooder${i % 2}`));
    // The flood runs (and so has used something) before the other gateway sends anything.
    await eventually('the flood to hold the cluster', async () => (await launchedCount(flood)) >= 4 || undefined, 90_000);
    const small: SeededJob[] = [];
    for (let i = 0; i < 5; i++) small.push(await gang('gw-small', 'sam'));

    const db = suite.cfg.database.url;
    const listed = await eventually('msched jobs list to show an expected start for every waiting gang', async () => {
      const r = await msched(['jobs', 'list', '--state', 'QUEUED', '--limit', '200'], db);
      assert.equal(r.code, 0, r.err);
      const rows = r.out.split('\n').filter((l) => l.startsWith('JOB_'));
      return rows.length >= 10 && rows.every((l) => EXPECTED_START.test(l)) ? rows : undefined;
    }, 60_000);
    assert.ok(listed.some((l) => /\bgw-flood\b/.test(l)), listed.join('\n'));

    await eventually('every gang of the small gateway to start', async () => (await launchedCount(small)) === small.length || undefined, 90_000);
    const floodStarted = await launchedCount(flood);
    assert.ok(floodStarted <= flood.length - 10, `the small gateway's 5 gangs started while ${flood.length - floodStarted} of the flood still waited (the tail: at least 10)`);

    // One waiting gang of the flood in detail, and what Airavata was told about it.
    const [waiting] = await suite.ds.query(`SELECT id FROM jobs WHERE id = ANY($1::text[]) AND launched_at IS NULL AND expected_start_at IS NOT NULL
      ORDER BY expected_start_at DESC LIMIT 1`, [flood.map((j) => j.jobId)]);
    assert.ok(waiting, 'a flood gang still waits with an estimate');
    const show = await msched(['jobs', 'show', waiting.id], db);
    assert.match(show.out, /^waiting for:\s+#\d+ in the queue of role mpi/m);
    assert.match(show.out, /^expected start:\s+(?:\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\dZ \((?:in \S+|due)\)$/m);
    const told = await eventually('the expected start to be told as the waiting job\'s status reason', async () => {
      const rows: Array<{ reason: string; previousState: string; state: string }> = await suite.ds.query(`
        SELECT envelope->'payload'->>'reason' AS reason, envelope->'payload'->>'previousState' AS "previousState", envelope->'payload'->>'state' AS state
        FROM outbox WHERE topic = 'events' AND envelope->'payload'->>'jobId' = $1 AND envelope->'payload'->>'reason' LIKE 'expected to start%'`, [waiting.id]);
      return rows.length ? rows : undefined;
    }, 30_000);
    assert.equal(told.length, 1, 'told once: the estimate did not move meaningfully since');
    assert.match(told[0].reason, /^expected to start about (?:\d{4}-\d\d-\d\d )?\d\d:\d\d UTC$/);
    assert.deepEqual([told[0].state, told[0].previousState], ['QUEUED', 'QUEUED']);
    const history: Array<{ state: string; reason: string }> = await suite.ds.query(
      `SELECT state, reason FROM status_history WHERE entity_type = 'job' AND entity_id = $1 AND reason LIKE 'expected to start%'`, [waiting.id]);
    assert.deepEqual(history, [{ state: 'QUEUED', reason: told[0].reason }]);
  });
});
