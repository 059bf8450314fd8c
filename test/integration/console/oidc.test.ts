import assert from 'node:assert/strict';
import { AuthzToken, exampleExperiment, LaunchResult } from '@msched/airavata-thrift';
import type { RunningConsole } from '@msched/console';
import { GATEWAY_USERS, KeycloakOp } from '../../helpers/keycloak-op';
import type { ApiHarness } from '../../helpers/pipeline';
import { startApiHarness } from '../../helpers/pipeline';
import { eventually } from '../../helpers/eventually';
import { requireStack } from '../../helpers/stack';
import { consoleFetch, startConsoleFor } from './harness';

/**
 * The console with Keycloak tokens (MSCHED_API_AUTH_MODE=oidc) against the certified oidc-provider
 * set up as two Keycloak realms (test/helpers/keycloak-op.ts), the real API over Thrift and
 * PostgreSQL: test-gateway → realm-a (alice and bob are users, carol a read-only admin, dave an
 * admin by the pga client's roles), gateway-b and gateway-b2 → realm-b (erin). The console verifies tokens with
 * the API's own settings; what a user sees and changes is decided by their roles.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const partOf = (jwt: string, i: 0 | 1) => JSON.parse(Buffer.from(jwt.split('.')[i], 'base64url').toString()) as Record<string, unknown>;
const authz = (accessToken: string, userName: string, gatewayID = 'test-gateway') => new AuthzToken({ accessToken, claimsMap: { gatewayID, userName } });
const SESSION_SECRET = 'console-oidc-test-session-secret-5d1c';

describe('console with Keycloak tokens (oidc, integration against oidc-provider realms)', function () {
  this.timeout(120000);
  let op: KeycloakOp;
  let h: ApiHarness;
  let c: RunningConsole;
  const tokens: Record<string, string> = {};
  const jobs: Record<string, LaunchResult> = {};

  const json = async (r: Response) => ({ status: r.status, body: await r.json() as any });
  const get = (path: string, token: string | null, headers: Record<string, string> = {}) => consoleFetch(c, path, { token, headers });
  const post = (path: string, token: string | null, headers: Record<string, string> = {}) => consoleFetch(c, path, { method: 'POST', token, headers });
  const stateOf = async (experimentId: string) => (await h.ds.query('SELECT state FROM experiments WHERE id = $1', [experimentId]))[0].state as string;
  const jobIdsSeenBy = async (token: string, headers: Record<string, string> = {}) => new Set<string>((await json(await get('/api/jobs?limit=500', token, headers))).body.jobs.map((j: any) => j.jobId));

  before(async () => {
    await requireStack('postgres', 'kafka');
    op = new KeycloakOp();
    await op.start();
    await op.addRealm('realm-a', { ...GATEWAY_USERS, shorty: { password: 'shorty-pw', ttlSeconds: 2 } });
    await op.addRealm('realm-b', { erin: { password: 'erin-pw' } });
    h = await startApiHarness('console_oidc', {
      MSCHED_API_AUTH_MODE: 'oidc', MSCHED_API_OIDC_URL: op.baseUrl, MSCHED_API_OIDC_DEFAULT_REALM: '',
      MSCHED_API_OIDC_GATEWAY_REALMS: 'test-gateway=realm-a,gateway-b=realm-b,gateway-b2=realm-b', MSCHED_API_OIDC_AUTHORIZED_PARTIES: 'pga',
      MSCHED_API_OIDC_ROLES_CLIENT: 'pga', MSCHED_API_OIDC_CLOCK_SKEW_SECONDS: '0', MSCHED_API_OIDC_JWKS_COOLDOWN_SECONDS: '1',
      MSCHED_CONSOLE_SESSION_SECRET: SESSION_SECRET,
    });
    c = await startConsoleFor(h);
    for (const u of ['alice', 'bob', 'carol', 'dave']) tokens[u] = await op.login('realm-a', u);
    tokens.erin = await op.login('realm-b', 'erin');
    const launch = async (key: string, user: string, gatewayId = 'test-gateway') => {
      jobs[key] = await h.client.client.launchExperiment(authz(tokens[user], user, gatewayId), exampleExperiment({ userName: user, gatewayId }));
    };
    await launch('alice1', 'alice');
    await launch('alice2', 'alice');
    await launch('bob1', 'bob');
    await launch('bob2', 'bob');
    await launch('erin1', 'erin', 'gateway-b');
  });
  after(async () => {
    await c?.close();
    await h?.close();
    await op?.stop();
  });

  it('refuses no token, an expired one, forged ones and another issuer\'s with 401 and the reason, showing nothing', async () => {
    const shorty = await op.login('realm-a', 'shorty');
    const [hd, p, s] = tokens.alice.split('.');
    const claims = partOf(tokens.alice, 1);
    const forged = {
      'altered payload': `${hd}.${b64({ ...claims, resource_access: { pga: { roles: ['admin'] } } })}.${s}`,
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`,
      'another issuer': `${b64(partOf(tokens.alice, 0))}.${b64({ ...claims, iss: 'http://127.0.0.1:1/realms/realm-a' })}.${s}`,
      'not a token': 'hello',
    };
    for (const path of ['/api/jobs', `/api/jobs/${jobs.alice1.jobId}`, '/api/dead-letters', '/api/me', '/api/cluster']) {
      const r = await get(path, null);
      assert.equal(r.status, 401, path);
      assert.ok(!(await r.text()).includes(jobs.alice1.experimentId), `${path} leaks nothing`);
    }
    await sleep(2100); // shorty's token expired (no clock skew allowed here)
    const expired = await json(await get('/api/jobs', shorty));
    assert.equal(expired.status, 401);
    assert.match(expired.body.error, /the access token expired at .*: get a new one from Keycloak/);
    assert.equal(expired.body.jobs, undefined);
    const reasons: Record<string, RegExp> = {
      'altered payload': /signature does not verify/, 'alg none': /algorithm "none" is not accepted/,
      'another issuer': /not by a realm of this installation's Keycloak/, 'not a token': /not by a realm/,
    };
    for (const [what, token] of Object.entries(forged)) {
      const r = await json(await get('/api/jobs', token));
      assert.equal(r.status, 401, what);
      assert.match(r.body.error, reasons[what], what);
      assert.equal(r.body.jobs, undefined, what);
      assert.equal((await json(await consoleFetch(c, '/api/session', { method: 'POST', token: null, body: { token } }))).status, 401, `login with ${what}`);
    }
    // A session cookie not sealed with this console's key is no session.
    assert.equal((await get('/api/jobs', null, { Cookie: `msched_console=${b64({ n: 'dave', op: true, exp: Date.now() + 60000, u: 'dave', g: 'test-gateway', r: [true, true, true] })}` })).status, 401);
  });

  it('shows a user her own jobs only: others\' (same gateway or another) are not listed and their pages are 404', async () => {
    assert.deepEqual(await jobIdsSeenBy(tokens.alice), new Set([jobs.alice1.jobId, jobs.alice2.jobId]));
    assert.deepEqual((await json(await get('/api/jobs?user=bob', tokens.alice))).body.jobs, [], 'asking for another user\'s jobs shows none');
    assert.deepEqual((await json(await get('/api/jobs?gateway=gateway-b', tokens.alice))).body.jobs, []);
    assert.equal((await get(`/api/jobs/${jobs.alice1.jobId}`, tokens.alice)).status, 200);
    assert.equal((await get(`/api/jobs/${jobs.bob1.jobId}`, tokens.alice)).status, 404);
    assert.equal((await get(`/api/jobs/${jobs.erin1.jobId}`, tokens.alice)).status, 404);
    // realm-b serves two gateways: erin's token names neither, so she says which (login body or a proxy's header).
    const ambiguous = await json(await get('/api/jobs', tokens.erin));
    assert.equal(ambiguous.status, 403);
    assert.match(ambiguous.body.error, /realm "realm-b" serves gateways gateway-b, gateway-b2: name the gateway at login/);
    assert.deepEqual(await jobIdsSeenBy(tokens.erin, { 'X-Msched-Gateway': 'gateway-b' }), new Set([jobs.erin1.jobId]), 'erin of gateway-b sees hers');
    assert.deepEqual(await jobIdsSeenBy(tokens.erin, { 'X-Msched-Gateway': 'gateway-b2' }), new Set(), 'and none as a user of gateway-b2');
    const wrongRealm = await json(await get('/api/jobs', tokens.erin, { 'X-Msched-Gateway': 'test-gateway' }));
    assert.equal(wrongRealm.status, 401);
    assert.match(wrongRealm.body.error, /issued by "http:\/\/127\.0\.0\.1:\d+\/realms\/realm-b", but this gateway's realm "realm-a"/);
    const login = await json(await consoleFetch(c, '/api/session', { method: 'POST', token: null, body: { token: tokens.erin, gateway: 'gateway-b' } }));
    assert.deepEqual([login.status, login.body.gatewayId], [200, 'gateway-b']);
    const me = await json(await get('/api/me', tokens.alice));
    assert.equal(me.status, 200);
    assert.deepEqual([me.body.name, me.body.userName, me.body.gatewayId, me.body.rights, me.body.canOperate], ['alice', 'alice', 'test-gateway', { admin: false, readAll: false, use: true }, false]);
    assert.ok(!JSON.stringify(me.body).includes(tokens.alice.split('.')[2]), 'the page is never given the token');
  });

  it('lets read-only admins and admins see their gateway\'s jobs, not another gateway\'s', async () => {
    const gatewayA = new Set([jobs.alice1.jobId, jobs.alice2.jobId, jobs.bob1.jobId, jobs.bob2.jobId]);
    assert.deepEqual(await jobIdsSeenBy(tokens.carol), gatewayA);
    assert.deepEqual(await jobIdsSeenBy(tokens.dave), gatewayA);
    assert.equal((await get(`/api/jobs/${jobs.bob1.jobId}`, tokens.carol)).status, 200);
    assert.equal((await get(`/api/jobs/${jobs.erin1.jobId}`, tokens.dave)).status, 404);
  });

  it('logs in to an encrypted HttpOnly session that never outlives the token and carries nothing readable', async () => {
    const login = await consoleFetch(c, '/api/session', { method: 'POST', token: null, body: { token: tokens.alice } });
    assert.equal(login.status, 200);
    assert.deepEqual(((await login.json()) as any).userName, 'alice');
    const setCookie = login.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /HttpOnly; SameSite=Strict/);
    const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)?.[1]);
    const exp = partOf(tokens.alice, 1).exp as number;
    assert.ok(maxAge > 0 && maxAge <= exp - Math.floor(Date.now() / 1000) + 1, `Max-Age ${maxAge} ends by the token's expiry`);
    const cookie = setCookie.split(';')[0];
    const value = cookie.slice(cookie.indexOf('=') + 1);
    for (const part of tokens.alice.split('.')) assert.ok(!value.includes(part.slice(0, 16)), 'no part of the token in the cookie');
    assert.ok(!Buffer.from(value, 'base64url').toString('latin1').includes('alice'), 'the cookie is encrypted');
    const seen = await json(await get('/api/jobs', null, { Cookie: cookie }));
    assert.deepEqual(new Set(seen.body.jobs.map((j: any) => j.jobId)), new Set([jobs.alice1.jobId, jobs.alice2.jobId]));

    // A 2 s token gives a session of at most 2 s.
    const shorty = await op.login('realm-a', 'shorty');
    const s = await consoleFetch(c, '/api/session', { method: 'POST', token: null, body: { token: shorty } });
    assert.equal(s.status, 200);
    const shortCookie = (s.headers.get('set-cookie') ?? '').split(';')[0];
    assert.ok(Number(/Max-Age=(\d+)/.exec(s.headers.get('set-cookie') ?? '')?.[1]) <= 2);
    assert.equal((await get('/api/me', null, { Cookie: shortCookie })).status, 200);
    await sleep(2100);
    assert.equal((await get('/api/me', null, { Cookie: shortCookie })).status, 401, 'the session ended with the token');
  });

  it('cancels a user\'s own experiment through the API with her own token; another user\'s is refused by the API and nothing changes', async () => {
    const bobsTry = await json(await post(`/api/jobs/${jobs.alice1.jobId}/cancel`, tokens.bob));
    assert.equal(bobsTry.status, 403);
    assert.match(bobsTry.body.error, /the API refused: .*belongs to user "alice", not user "bob"; only the gateway's admins terminate others' experiments/);
    assert.equal(await stateOf(jobs.alice1.experimentId), 'LAUNCHED', 'nothing changed');
    const carolsTry = await json(await post(`/api/jobs/${jobs.alice1.jobId}/cancel`, tokens.carol));
    assert.equal(carolsTry.status, 403, 'a read-only admin cancels nothing');
    assert.equal(await stateOf(jobs.alice1.experimentId), 'LAUNCHED');
    assert.equal((await post(`/api/jobs/${jobs.erin1.jobId}/cancel`, tokens.dave)).status, 404, 'another gateway\'s job is out of sight');
    assert.equal(await stateOf(jobs.erin1.experimentId), 'LAUNCHED');

    // Alice from her browser session (the page's header required), as herself.
    const login = await consoleFetch(c, '/api/session', { method: 'POST', token: null, body: { token: tokens.alice } });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    assert.equal((await post(`/api/jobs/${jobs.alice1.jobId}/cancel`, null, { Cookie: cookie })).status, 403, 'not without the page\'s header');
    const own = await json(await post(`/api/jobs/${jobs.alice1.jobId}/cancel`, null, { Cookie: cookie, 'x-msched-console': '1' }));
    assert.deepEqual(own, { status: 200, body: { canceling: jobs.alice1.experimentId } });
    assert.equal(await stateOf(jobs.alice1.experimentId), 'CANCELING');
    const [hist] = await h.ds.query(`SELECT reason FROM status_history WHERE entity_id = $1 AND state = 'CANCELING'`, [jobs.alice1.experimentId]);
    assert.match(hist.reason, /\balice\b/);
    assert.doesNotMatch(hist.reason, /console:/, 'the API saw alice, not a console identity');

    // The gateway's admin cancels anyone's.
    assert.deepEqual(await json(await post(`/api/jobs/${jobs.bob1.jobId}/cancel`, tokens.dave)), { status: 200, body: { canceling: jobs.bob1.experimentId } });
    assert.equal(await stateOf(jobs.bob1.experimentId), 'CANCELING');
  });

  it('replays dead letters only for the gateway\'s admins: users and read-only admins get 403 with the reason and nothing changes', async () => {
    const l = jobs.bob2;
    const work = { stage: 'stage-inputs', experimentId: l.experimentId, processId: l.processId, jobId: l.jobId, gatewayId: 'test-gateway', taskId: 't1' };
    await h.ds.query(`UPDATE processes SET state = 'FAILED' WHERE id = $1`, [l.processId]);
    const [{ id }] = await h.ds.query(`INSERT INTO stage_runs (process_id, job_id, stage, state, attempts, last_error, work, dead_at)
      VALUES ($1, $2, 'stage-inputs', 'dead', 5, 'input unreachable', $3, now()) RETURNING id::text AS id`, [l.processId, l.jobId, JSON.stringify(work)]);
    const deadIds = async (token: string) => (await json(await get('/api/dead-letters', token))).body.deadLetters.map((d: any) => d.id);
    assert.deepEqual(await deadIds(tokens.bob), [id], 'bob sees the dead letter of his job');
    assert.deepEqual(await deadIds(tokens.alice), [], 'alice does not see bob\'s');
    assert.deepEqual(await deadIds(tokens.dave), [id], 'the gateway\'s admin does');
    for (const [who, why] of [['bob', /user "bob" is not an admin of gateway "test-gateway"/], ['carol', /user "carol" is not an admin/]] as const) {
      const r = await json(await post(`/api/dead-letters/${id}/replay`, tokens[who]));
      assert.equal(r.status, 403, who);
      assert.match(r.body.error, why, who);
    }
    assert.equal((await post(`/api/dead-letters/${id}/replay`, tokens.erin, { 'X-Msched-Gateway': 'gateway-b' })).status, 404, 'another gateway\'s user does not see it');
    const [still] = await h.ds.query('SELECT s.state AS run, p.state AS process FROM stage_runs s JOIN processes p ON p.id = s.process_id WHERE s.id = $1', [id]);
    assert.deepEqual(still, { run: 'dead', process: 'FAILED' }, 'nothing changed');

    const r = await json(await post(`/api/dead-letters/${id}/replay`, tokens.dave));
    assert.equal(r.status, 200);
    assert.equal(r.body.jobId, l.jobId);
    const [p] = await h.ds.query('SELECT state FROM processes WHERE id = $1', [l.processId]);
    assert.equal(p.state, 'REQUEUED');
  });
  it('streams live events of only the experiments a user may read', async () => {
    const listen = async (token: string) => {
      const stream = await get('/api/events', token);
      assert.equal(stream.status, 200);
      const reader = stream.body!.getReader();
      const box = { got: '' };
      const pump = (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          box.got += Buffer.from(value).toString('utf8');
        }
      })().catch(() => undefined);
      await eventually('the stream to say ready', () => box.got.includes('event: ready') || undefined, 10000);
      return { box, async stop() { await reader.cancel(); await pump; } };
    };
    const alices = await listen(tokens.alice);
    const daves = await listen(tokens.dave);
    const canceled = (box: { got: string }, r: LaunchResult) => box.got.includes(`"experimentId":"${r.experimentId}"`) && box.got.includes('"state":"CANCELING"');
    assert.equal((await post(`/api/jobs/${jobs.bob2.jobId}/cancel`, tokens.dave)).status, 200);
    assert.equal((await post(`/api/jobs/${jobs.alice2.jobId}/cancel`, tokens.alice)).status, 200);
    await eventually('dave hears of both', () => (canceled(daves.box, jobs.bob2) && canceled(daves.box, jobs.alice2)) || undefined, 30000);
    await eventually('alice hears of hers', () => canceled(alices.box, jobs.alice2) || undefined, 30000);
    await sleep(300);
    assert.ok(!alices.box.got.includes(jobs.bob2.experimentId), 'alice hears nothing of bob\'s experiment');
    await alices.stop();
    await daves.stop();
  });
});
