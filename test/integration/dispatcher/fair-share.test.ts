import assert from 'node:assert/strict';
import { startDispatcher, tenantUsage } from '@msched/dispatcher';
import { msched } from '../../helpers/msched';
import { dispatcherSuite, eventually, requestCancel, seedJob, shellApp, type SeededJob } from './support';

/** The msched binary as an operator runs it, on the suite's database. */
const mschedOn = (args: string[], databaseUrl: string) => msched(args, { MSCHED_DATABASE_URL: databaseUrl });

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
    let last = '';
    const listed = await eventually('msched jobs list to show an expected start for every waiting gang', async () => {
      const r = await mschedOn(['jobs', 'list', '--state', 'QUEUED', '--limit', '200'], db);
      assert.equal(r.code, 0, r.err);
      last = r.out;
      // Jobs QUEUED but already launched (starting) have no expected start any more. Whether each
      // was launched is read after the table: one launched then is launched now, so every job
      // still waiting now was waiting when the table was read.
      const waiting = new Set((JSON.parse((await mschedOn(['jobs', 'list', '--state', 'QUEUED', '--limit', '200', '--json'], db)).out) as Array<{ jobId: string; launchedAt: string | null }>)
        .filter((j) => j.launchedAt === null).map((j) => j.jobId));
      const rows = r.out.split('\n').filter((l) => waiting.has(l.slice(0, l.indexOf(' '))));
      return rows.length >= 10 && rows.every((l) => EXPECTED_START.test(l)) ? rows : undefined;
    }, 60_000).catch((e: Error) => assert.fail(`${e.message}; last seen:\n${last}`));
    assert.ok(listed.some((l) => /\bgw-flood\b/.test(l)), listed.join('\n'));

    await eventually('every gang of the small gateway to start', async () => (await launchedCount(small)) === small.length || undefined, 90_000);
    const floodStarted = await launchedCount(flood);
    assert.ok(floodStarted <= flood.length - 10, `the small gateway's 5 gangs started while ${flood.length - floodStarted} of the flood still waited (the tail: at least 10)`);

    // One waiting gang of the flood in detail, and what Airavata was told about it.
    const [waiting] = await suite.ds.query(`SELECT id FROM jobs WHERE id = ANY($1::text[]) AND launched_at IS NULL AND expected_start_at IS NOT NULL
      ORDER BY expected_start_at DESC LIMIT 1`, [flood.map((j) => j.jobId)]);
    assert.ok(waiting, 'a flood gang still waits with an estimate');
    const show = await mschedOn(['jobs', 'show', waiting.id], db);
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

  // Continues from the test above: the two gateways' gangs have run, the flood's tail still waits.
  it('keeps the shares when another dispatcher takes over: the new leader charges each tenant what the old one did', async () => {
    const key = (t: { gateway: string; user: string }) => `${t.gateway}/${t.user}`;
    const old = suite.dispatcher.leader();
    assert.ok(old, 'the suite\'s dispatcher leads');
    const standby = await startDispatcher(suite.cfg);
    try {
      // The flood's tail is canceled and the cluster drains, so usage stops growing: what the old
      // leader charged can be compared with what the new one does.
      const [{ ids }] = await suite.ds.query('SELECT array_agg(id) AS ids FROM jobs WHERE launched_at IS NULL AND settled_at IS NULL');
      for (const id of ids ?? []) {
        const [j] = await suite.ds.query('SELECT id AS "jobId", experiment_id AS "experimentId", process_id AS "processId", task_id AS "taskId" FROM jobs WHERE id = $1', [id]);
        await requestCancel(suite.ds, j);
      }
      await eventually('every gang to have ended', async () => {
        const [r] = await suite.ds.query('SELECT count(*)::int AS n FROM jobs WHERE settled_at IS NULL');
        return r.n === 0 || undefined;
      }, 90_000);
      const before = new Map(old.tenantUsage().map((u) => [key(u.tenant), u.coreSeconds]));
      await suite.dispatcher.stop();
      const next = await eventually('the standby to lead', () => standby.leader() ?? undefined, 60_000);
      const fromRows = new Map((await tenantUsage(suite.ds, suite.cfg.scheduling.halfLifeHours * 3600)).map((u) => [key(u.tenant), u.coreSeconds]));
      // The leader exists as soon as it is elected; it reads the usage as the first step of its
      // start-up (before any gang), which the test must wait for (reading at once saw 0 core-s).
      const after = await eventually('the new leader to have read the usage', () => {
        const usage = new Map(next.tenantUsage().map((u) => [key(u.tenant), u.coreSeconds]));
        return [...fromRows.keys()].every((t) => usage.has(t)) ? usage : undefined;
      }, 30_000);
      const gangsRun: Array<{ tenant: string; n: number }> = await suite.ds.query(`
        SELECT e.gateway_id || '/' || e.user_name AS tenant, count(*)::int AS n FROM jobs j JOIN experiments e ON e.id = j.experiment_id
        WHERE j.launched_at IS NOT NULL GROUP BY 1`);
      for (const tenant of ['gw-flood/flooder0', 'gw-flood/flooder1', 'gw-small/sam']) {
        const was = before.get(tenant) ?? 0;
        const now = after.get(tenant) ?? 0;
        assert.ok(was > 0 && (fromRows.get(tenant) ?? 0) > 0, `${tenant} had used something (${was} core-s; ${fromRows.get(tenant)} in the job rows)`);
        // Everything the job rows hold is charged by the new leader (nothing runs any more)...
        assert.ok(Math.abs(now - (fromRows.get(tenant) ?? 0)) < 0.01, `${tenant}: ${now} core-s charged, ${fromRows.get(tenant)} in the job rows`);
        // ...and it is what the old leader charged, but for when each gang's launch and end were
        // noted: the rows' timestamps against the moments the policy heard of them (under half a
        // second per gang here, one core each; the gangs run a second, so this is no blanket margin).
        const n = gangsRun.find((g) => g.tenant === tenant)?.n ?? 0;
        assert.ok(Math.abs(now - was) <= 0.5 * n, `${tenant}: ${now} core-s after the takeover, ${was} before, ${n} gangs run`);
      }
    } finally {
      await standby.stop();
    }
  });
});
