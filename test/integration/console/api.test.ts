import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleExperiment, LaunchResult } from '@msched/airavata-thrift';
import type { RunningConsole } from '@msched/console';
import type { ApiHarness } from '../../helpers/pipeline';
import { eventually } from '../../helpers/eventually';
import { requireStack } from '../../helpers/stack';
import { API_TOKEN, consoleFetch, startConsoleHarness, VIEWER_TOKEN } from './harness';

/**
 * The console's JSON API on the real stack (PostgreSQL, Kafka, the API over Thrift): jobs with
 * filters and paging, one job, auth, parameter validation, cancel through terminateExperiment,
 * dead-letter replay, and live events from the events topic.
 */
describe('console JSON API (integration)', function () {
  this.timeout(120000);
  let h: ApiHarness;
  let c: RunningConsole;
  let close: () => Promise<void>;
  const launched: LaunchResult[] = [];

  before(async () => {
    await requireStack('postgres', 'kafka');
    ({ h, c, close } = await startConsoleHarness('console_api'));
    for (let i = 0; i < 5; i++) {
      const e = exampleExperiment({ userName: i % 2 ? 'bob' : 'alice', queueName: 'normal' });
      if (i === 4) e.experimentName = '<script>alert(1)</script>';
      launched.push(await h.client.client.launchExperiment(API_TOKEN, e));
    }
  });
  after(async () => { await close?.(); });

  const json = async (r: Response) => ({ status: r.status, body: await r.json() as any });

  it('refuses every API route without a valid token (401, no data)', async () => {
    for (const path of ['/api/jobs', `/api/jobs/${launched[0].jobId}`, '/api/cluster', '/api/dead-letters', '/api/me', '/api/events']) {
      const r = await consoleFetch(c, path, { token: null });
      const text = await r.text();
      assert.equal(r.status, 401, path);
      assert.ok(!text.includes(launched[0].experimentId), `${path} leaks nothing`);
      assert.equal((await consoleFetch(c, path, { token: 'wrong' })).status, 401, path);
    }
    // A forged session cookie is not a session.
    assert.equal((await consoleFetch(c, '/api/jobs', { token: null, headers: { Cookie: 'msched_console=eyJuIjoieCIsIm9wIjp0cnVlLCJleHAiOjk5OTk5OTk5OTk5OTl9.AAAA' } })).status, 401);
  });

  it('lists jobs newest first, filters them, and pages by cursor without gaps or repeats', async () => {
    const all = await json(await consoleFetch(c, '/api/jobs?limit=500'));
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.jobs.map((j: any) => j.jobId), [...launched].reverse().map((l) => l.jobId));
    const bob = await json(await consoleFetch(c, '/api/jobs?user=bob'));
    assert.deepEqual(new Set(bob.body.jobs.map((j: any) => j.userName)), new Set(['bob']));
    assert.equal(bob.body.jobs.length, 2);
    const search = await json(await consoleFetch(c, `/api/jobs?q=${encodeURIComponent('<script>')}`));
    assert.deepEqual(search.body.jobs.map((j: any) => j.experimentName), ['<script>alert(1)</script>']);
    // A LIKE wildcard in the search is a literal character, not "anything".
    assert.equal((await json(await consoleFetch(c, '/api/jobs?q=%25'))).body.jobs.length, 0);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await json(await consoleFetch(c, `/api/jobs?limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      assert.ok(page.body.jobs.length <= 2);
      seen.push(...page.body.jobs.map((j: any) => j.jobId));
      cursor = page.body.next;
    } while (cursor);
    assert.deepEqual(seen, all.body.jobs.map((j: any) => j.jobId));
  });

  it('validates every query parameter: unknown, malformed and out-of-range ones get 400 and no rows', async () => {
    for (const q of ['limit=0', 'limit=501', 'limit=ten', 'state=complete;drop', 'colour=red', 'cursor=not*a*cursor', `cursor=${Buffer.from('yesterday|x').toString('base64url')}`, `q=${'x'.repeat(201)}`]) {
      const r = await json(await consoleFetch(c, `/api/jobs?${q}`));
      assert.equal(r.status, 400, q);
      assert.equal(r.body.jobs, undefined, q);
      assert.match(r.body.error, /\S/, q);
    }
    assert.equal((await consoleFetch(c, '/api/cluster?x=1')).status, 400);
    assert.equal((await consoleFetch(c, '/api/dead-letters/abc/replay', { method: 'POST' })).status, 400);
  });

  it('validates the pages\' and assets\' parameters too: only the jobs page takes its filters', async () => {
    for (const path of ['/jobs?state=FAILED&q=pi&user=ada', '/jobs', `/jobs/${launched[0].jobId}`, '/cluster', '/dead-letters', '/', '/assets/app.js']) {
      assert.equal((await consoleFetch(c, path, { token: null })).status, 200, path);
    }
    for (const path of ['/jobs?state=<script>', '/jobs?colour=red', `/jobs?q=${'x'.repeat(201)}`, '/cluster?x=1', '/dead-letters?x=1', '/?token=t', `/jobs/${launched[0].jobId}?x=1`, '/assets/app.js?v=1', '/assets/app..js']) {
      const r = await consoleFetch(c, path, { token: null });
      assert.equal(r.status, 400, path);
      assert.doesNotMatch(await r.text(), /<script|app\.js/, path);
    }
  });

  it('shows one job with its history; an unknown one is 404', async () => {
    const r = await json(await consoleFetch(c, `/api/jobs/${launched[0].jobId}`));
    assert.equal(r.status, 200);
    assert.equal(r.body.job.experimentId, launched[0].experimentId);
    assert.ok(r.body.history.some((x: any) => x.entityType === 'experiment'), JSON.stringify(r.body.history));
    assert.deepEqual(r.body.tasks, []);
    assert.equal(r.body.job.workingDir, undefined, 'server paths are not shown');
    assert.equal((await consoleFetch(c, '/api/jobs/no-such-job')).status, 404);
  });

  it('serves outputs of the working directory as downloads only, never a path outside it', async () => {
    const dir = join(tmpdir(), `console-out-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'result.txt'), 'pi=3.14\n');
    writeFileSync(join(dir, 'page.html'), '<script>alert(1)</script>');
    symlinkSync('/etc/passwd', join(dir, 'passwd'));
    await h.ds.query('UPDATE jobs SET working_dir = $2 WHERE id = $1', [launched[1].jobId, dir]);
    const r = await json(await consoleFetch(c, `/api/jobs/${launched[1].jobId}`));
    assert.deepEqual(r.body.outputs.map((o: any) => o.name), ['page.html', 'result.txt']);
    const file = await consoleFetch(c, `/api/jobs/${launched[1].jobId}/outputs/page.html`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'application/octet-stream');
    assert.match(file.headers.get('content-disposition') ?? '', /^attachment/);
    for (const name of ['..%2F..%2Fetc%2Fpasswd', '..', '%2Fetc%2Fpasswd', 'passwd']) {
      assert.equal((await consoleFetch(c, `/api/jobs/${launched[1].jobId}/outputs/${name}`)).status, 404, name);
    }
  });

  it('a viewer reads but cannot cancel; a browser session needs the page\'s header to change anything', async () => {
    assert.equal((await consoleFetch(c, '/api/jobs', { token: VIEWER_TOKEN })).status, 200);
    const r = await json(await consoleFetch(c, `/api/jobs/${launched[2].jobId}/cancel`, { method: 'POST', token: VIEWER_TOKEN }));
    assert.equal(r.status, 403);
    const login = await consoleFetch(c, '/api/session', { method: 'POST', token: null, body: { token: 'nope' } });
    assert.equal(login.status, 401);
    const ok = await consoleFetch(c, '/api/session', { method: 'POST', token: null, body: { token: API_TOKEN.accessToken } });
    assert.equal(ok.status, 200);
    const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0];
    assert.match(ok.headers.get('set-cookie') ?? '', /HttpOnly; SameSite=Strict/);
    assert.ok(!cookie.includes(API_TOKEN.accessToken), 'the cookie does not carry the token');
    assert.equal((await consoleFetch(c, '/api/me', { token: null, headers: { Cookie: cookie } })).status, 200);
    assert.equal((await consoleFetch(c, `/api/jobs/${launched[2].jobId}/cancel`, { method: 'POST', token: null, headers: { Cookie: cookie } })).status, 403);
    const [exp] = await h.ds.query('SELECT state FROM experiments WHERE id = $1', [launched[2].experimentId]);
    assert.equal(exp.state, 'LAUNCHED', 'nothing was canceled');
  });

  it('cancel goes through terminateExperiment: CANCELING recorded with the operator, and streamed live', async () => {
    const stream = await consoleFetch(c, '/api/events');
    assert.equal(stream.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = stream.body!.getReader();
    let got = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        got += Buffer.from(value).toString('utf8');
      }
    })().catch(() => undefined);
    await eventually('the stream to say ready', () => got.includes('event: ready') || undefined, 10000);

    const r = await json(await consoleFetch(c, `/api/jobs/${launched[3].jobId}/cancel`, { method: 'POST' }));
    assert.deepEqual(r, { status: 200, body: { canceling: launched[3].experimentId } });
    const [exp] = await h.ds.query('SELECT state FROM experiments WHERE id = $1', [launched[3].experimentId]);
    assert.equal(exp.state, 'CANCELING');
    const [hist] = await h.ds.query(`SELECT reason FROM status_history WHERE entity_id = $1 AND state = 'CANCELING'`, [launched[3].experimentId]);
    assert.equal(hist.reason, 'terminated by console:operator');
    await eventually('the CANCELING event on the stream', () => (got.includes(`"experimentId":"${launched[3].experimentId}"`) && got.includes('"state":"CANCELING"')) || undefined, 30000);
    await reader.cancel();
    await pump;
    // Twice is harmless (the API's answer), a finished one is a conflict.
    assert.equal((await consoleFetch(c, `/api/jobs/${launched[3].jobId}/cancel`, { method: 'POST' })).status, 200);
    await h.ds.query(`UPDATE experiments SET state = 'COMPLETED' WHERE id = $1`, [launched[0].experimentId]);
    const done = await json(await consoleFetch(c, `/api/jobs/${launched[0].jobId}/cancel`, { method: 'POST' }));
    assert.equal(done.status, 409);
    assert.match(done.body.error, /already COMPLETED/);
  });

  it('lists dead letters and replays one; an unknown one is 404', async () => {
    const l = launched[4];
    const work = { stage: 'stage-inputs', experimentId: l.experimentId, processId: l.processId, jobId: l.jobId, gatewayId: 'test-gateway', taskId: 't1' };
    await h.ds.query(`UPDATE processes SET state = 'FAILED' WHERE id = $1`, [l.processId]);
    const [{ id }] = await h.ds.query(`INSERT INTO stage_runs (process_id, job_id, stage, state, attempts, last_error, work, dead_at)
      VALUES ($1, $2, 'stage-inputs', 'dead', 5, 'input <b>unreachable</b>', $3, now()) RETURNING id::text AS id`, [l.processId, l.jobId, JSON.stringify(work)]);
    const list = await json(await consoleFetch(c, '/api/dead-letters'));
    assert.deepEqual(list.body.deadLetters.map((d: any) => [d.id, d.stage, d.lastError]), [[id, 'stage-inputs', 'input <b>unreachable</b>']]);
    assert.equal((await consoleFetch(c, `/api/dead-letters/${id}/replay`, { method: 'POST', token: VIEWER_TOKEN })).status, 403);
    const r = await json(await consoleFetch(c, `/api/dead-letters/${id}/replay`, { method: 'POST' }));
    assert.equal(r.status, 200);
    assert.equal(r.body.jobId, l.jobId);
    const [p] = await h.ds.query('SELECT state FROM processes WHERE id = $1', [l.processId]);
    assert.equal(p.state, 'REQUEUED');
    assert.equal((await json(await consoleFetch(c, '/api/dead-letters'))).body.deadLetters.length, 0);
    assert.equal((await consoleFetch(c, `/api/dead-letters/${id}/replay`, { method: 'POST' })).status, 404);
  });

  it('lists waiting gangs in the dispatcher\'s queue order with why each waits', async () => {
    const a = await h.client.client.launchExperiment(API_TOKEN, exampleExperiment());
    const b = await h.client.client.launchExperiment(API_TOKEN, exampleExperiment());
    // b was queued first (a retried attempt keeps its first queue time), so it is first in line.
    await h.ds.query(`UPDATE jobs SET state = 'QUEUED', queued_at = now() - interval '1 minute', wait_reason = 'needs 4 cpus on 2 agents; 1 agent has 2 free' WHERE id = $1`, [b.jobId]);
    await h.ds.query(`UPDATE jobs SET state = 'QUEUED', queued_at = now(), wait_reason = NULL WHERE id = $1`, [a.jobId]);
    const r = await json(await consoleFetch(c, '/api/cluster'));
    assert.equal(r.status, 200);
    const mine = r.body.waiting.filter((w: any) => [a.jobId, b.jobId].includes(w.jobId));
    assert.deepEqual(mine.map((w: any) => [w.jobId, w.waitReason]), [[b.jobId, 'needs 4 cpus on 2 agents; 1 agent has 2 free'], [a.jobId, null]]);
    // The agents come from the Mesos master; when it cannot be read the page says so instead of failing.
    assert.ok(Array.isArray(r.body.agents));
    assert.ok(r.body.master !== null || typeof r.body.masterError === 'string');
  });

  it('lists waiting gangs soonest expected start first, each with its expected start; the jobs page carries it too', async () => {
    const a = await h.client.client.launchExperiment(API_TOKEN, exampleExperiment());
    const b = await h.client.client.launchExperiment(API_TOKEN, exampleExperiment());
    // Under fair share a later gang may be expected first: the estimate, not the submit time, orders the list.
    await h.ds.query(`UPDATE jobs SET state = 'QUEUED', queued_at = now() - interval '10 minutes', expected_start_at = now() + interval '20 minutes' WHERE id = $1`, [a.jobId]);
    await h.ds.query(`UPDATE jobs SET state = 'QUEUED', queued_at = now(), expected_start_at = now() + interval '2 minutes' WHERE id = $1`, [b.jobId]);
    const r = await json(await consoleFetch(c, '/api/cluster'));
    const mine = r.body.waiting.filter((w: any) => [a.jobId, b.jobId].includes(w.jobId));
    assert.deepEqual(mine.map((w: any) => w.jobId), [b.jobId, a.jobId]);
    assert.ok(mine.every((w: any) => typeof w.expectedStartAt === 'string' && w.gatewayId === 'test-gateway'));
    const jobs = await json(await consoleFetch(c, '/api/jobs?state=QUEUED'));
    const row = jobs.body.jobs.find((j: any) => j.jobId === b.jobId);
    const [{ at }] = await h.ds.query('SELECT expected_start_at AS at FROM jobs WHERE id = $1', [b.jobId]);
    assert.equal(Date.parse(row.expectedStartAt), new Date(at).getTime());
    const one = await json(await consoleFetch(c, `/api/jobs/${b.jobId}`));
    assert.equal(Date.parse(one.body.extras.expectedStartAt), new Date(at).getTime());
  });

  it('serves the page with a strict content security policy and no token in it', async () => {
    const r = await consoleFetch(c, '/jobs', { token: null });
    assert.equal(r.status, 200);
    const html = await r.text();
    assert.match(html, /<script defer src="\/assets\/app.js"><\/script>/);
    assert.match(r.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const js = await (await consoleFetch(c, '/assets/app.js', { token: null })).text();
    assert.ok(!html.includes(API_TOKEN.accessToken) && !js.includes(API_TOKEN.accessToken));
    assert.ok(!/https?:\/\/(?!127\.0\.0\.1)[a-z0-9.-]+\.[a-z]{2,}\//i.test(html), 'nothing loaded from elsewhere');
  });
});
