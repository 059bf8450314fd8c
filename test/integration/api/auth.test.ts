import assert from 'node:assert/strict';
import { AuthorizationException, AuthzToken, exampleExperiment, MetaSchedulerConnection } from '@msched/airavata-thrift';
import { signToken } from '@msched/access-token';
import { requireStack } from '../../helpers/stack';
import { NOTHING, ONE_LAUNCH, rowCounts, startTestApi, TestApi } from './harness';

const SECRET = 'correct horse battery staple';
const refused = (pattern: RegExp) => (e: unknown) => e instanceof AuthorizationException && pattern.test(e.message);

describe('API authorization (integration)', function () {
  before(async () => { await requireStack('postgres'); });

  describe('static token', () => {
    let t: TestApi;
    let conn: MetaSchedulerConnection;
    before(async () => {
      t = await startTestApi('api_auth_static', { MSCHED_API_AUTH_MODE: 'static', MSCHED_API_AUTH_SECRET: SECRET });
      conn = await t.connect();
    });
    after(async () => { await t?.close(); });

    it('refuses a missing or wrong token, writing nothing, and accepts the right one', async () => {
      const exp = exampleExperiment();
      const id = exp.experimentId as string;
      await assert.rejects(conn.client.launchExperiment(new AuthzToken({ accessToken: '' }), exp), refused(/no access token/));
      await assert.rejects(conn.client.launchExperiment(new AuthzToken({ accessToken: 'guess' }), exp), refused(/access token is not valid/));
      await assert.rejects(conn.client.validateExperiment(new AuthzToken({ accessToken: 'guess' }), exp), refused(/access token is not valid/));
      await assert.rejects(conn.client.getExperimentStatus(new AuthzToken({ accessToken: 'guess' }), id), refused(/not valid/));
      assert.deepEqual(await rowCounts(t.ds, id), NOTHING);
      await conn.client.launchExperiment(new AuthzToken({ accessToken: SECRET }), exp);
      assert.deepEqual(await rowCounts(t.ds, id), ONE_LAUNCH);
    });
  });

  describe('HMAC-signed token', () => {
    let t: TestApi;
    let conn: MetaSchedulerConnection;
    const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
    before(async () => {
      t = await startTestApi('api_auth_hmac', { MSCHED_API_AUTH_MODE: 'hmac', MSCHED_API_AUTH_SECRET: SECRET });
      conn = await t.connect();
    });
    after(async () => { await t?.close(); });

    it('accepts a valid token and scopes it to its gateway', async () => {
      const good = new AuthzToken({ accessToken: signToken(SECRET, { gateway: 'test-gateway', sub: 'alice', exp: inAnHour() }) });
      const r = await conn.client.launchExperiment(good, exampleExperiment());
      assert.equal(r.created, true);
      const other = new AuthzToken({ accessToken: signToken(SECRET, { gateway: 'other', exp: inAnHour() }) });
      await assert.rejects(conn.client.getExperimentStatus(other, r.experimentId), refused(/for gateway "other"/));
    });

    it('refuses expired, forged, unsigned and malformed tokens, writing nothing', async () => {
      const exp = exampleExperiment();
      const cases: Array<[string, RegExp]> = [
        [signToken(SECRET, { gateway: 'test-gateway', exp: Math.floor(Date.now() / 1000) - 5 }), /token expired/],
        [signToken('another secret', { gateway: 'test-gateway', exp: inAnHour() }), /signature does not match/],
        [`${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp: inAnHour() })).toString('base64url')}.`, /algorithm "none" is not accepted/],
        ['not-a-token', /not a signed token/],
        ['', /no access token/],
      ];
      for (const [accessToken, why] of cases) {
        await assert.rejects(conn.client.launchExperiment(new AuthzToken({ accessToken }), exp), refused(why));
      }
      assert.deepEqual(await rowCounts(t.ds, exp.experimentId as string), NOTHING);
    });
  });
});
