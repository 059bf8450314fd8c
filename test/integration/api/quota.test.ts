import assert from 'node:assert/strict';
import { AiravataClientException, AiravataErrorType, AuthzToken, exampleExperiment, MetaSchedulerConnection } from '@msched/airavata-thrift';
import { requireStack } from '../../helpers/stack';
import { NOTHING, ONE_LAUNCH, rowCounts, startTestApi, TestApi } from './harness';

const tokenOf = (gatewayID: string) => new AuthzToken({ accessToken: 'dev', claimsMap: { gatewayID, userName: 'alice' } });

async function jobsOfGateway(t: TestApi, gatewayId: string): Promise<number> {
  const [r] = await t.ds.query('SELECT count(*)::int AS n FROM jobs j JOIN experiments e ON e.id = j.experiment_id WHERE e.gateway_id = $1', [gatewayId]);
  return r.n;
}

function isQuotaRefusal(gatewayId: string) {
  return (e: unknown) => e instanceof AiravataClientException && e.airavataErrorType === AiravataErrorType.PERMISSION_DENIED
    && new RegExp(`gateway "${gatewayId}" has 3 launches waiting to run, its quota is 3`).test(e.parameter ?? '');
}

describe('a gateway\'s waiting-gangs quota at launch (integration)', function () {
  let t: TestApi;
  let conn: MetaSchedulerConnection;

  before(async () => {
    await requireStack('postgres');
    t = await startTestApi('api_quota', { MSCHED_SCHEDULING_MAX_WAITING_GANGS: 'gw-a=3,gw-b=3,gw-c=3,gw-d=3' });
    conn = await t.connect();
  });
  after(async () => t?.close());

  it('refuses the launch past the quota with AiravataClientException (PERMISSION_DENIED) and writes nothing', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await conn.client.launchExperiment(tokenOf('gw-a'), exampleExperiment({ gatewayId: 'gw-a' }))).created, true);
    const over = exampleExperiment({ gatewayId: 'gw-a' });
    await assert.rejects(conn.client.launchExperiment(tokenOf('gw-a'), over), isQuotaRefusal('gw-a'));
    assert.deepEqual(await rowCounts(t.ds, over.experimentId as string), NOTHING);
    assert.equal(await jobsOfGateway(t, 'gw-a'), 3);
    // Gateways without a quota, or with room, are not held back by another's.
    const free = exampleExperiment({ gatewayId: 'gw-free' });
    assert.equal((await conn.client.launchExperiment(tokenOf('gw-free'), free)).created, true);
    assert.deepEqual(await rowCounts(t.ds, free.experimentId as string), ONE_LAUNCH);
  });

  it('answers a repeated launch of a recorded experiment even at the quota', async () => {
    const first = exampleExperiment({ gatewayId: 'gw-b' });
    const r1 = await conn.client.launchExperiment(tokenOf('gw-b'), first);
    for (let i = 0; i < 2; i++) await conn.client.launchExperiment(tokenOf('gw-b'), exampleExperiment({ gatewayId: 'gw-b' }));
    const again = await conn.client.launchExperiment(tokenOf('gw-b'), first);
    assert.deepEqual({ ...again }, { ...r1, created: false });
    assert.equal(await jobsOfGateway(t, 'gw-b'), 3);
  });

  it('lets exactly the quota through when launches race (they are counted one after the other)', async () => {
    const conns = await Promise.all(Array.from({ length: 8 }, () => t.connect()));
    const results = await Promise.allSettled(conns.map((c) => c.client.launchExperiment(tokenOf('gw-c'), exampleExperiment({ gatewayId: 'gw-c' }))));
    const accepted = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected' && isQuotaRefusal('gw-c')(r.reason)).length;
    assert.deepEqual({ accepted, refused }, { accepted: 3, refused: 5 });
    assert.equal(await jobsOfGateway(t, 'gw-c'), 3);
  });

  it('counts only launches not running yet: a launched or ended job frees its place', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await conn.client.launchExperiment(tokenOf('gw-d'), exampleExperiment({ gatewayId: 'gw-d' }))).jobId);
    await assert.rejects(conn.client.launchExperiment(tokenOf('gw-d'), exampleExperiment({ gatewayId: 'gw-d' })), isQuotaRefusal('gw-d'));
    await t.ds.query('UPDATE jobs SET launched_at = now(), state = \'ACTIVE\' WHERE id = $1', [ids[0]]);
    await t.ds.query('UPDATE jobs SET state = \'FAILED\' WHERE id = $1', [ids[1]]);
    for (let i = 0; i < 2; i++) assert.equal((await conn.client.launchExperiment(tokenOf('gw-d'), exampleExperiment({ gatewayId: 'gw-d' }))).created, true);
    await assert.rejects(conn.client.launchExperiment(tokenOf('gw-d'), exampleExperiment({ gatewayId: 'gw-d' })), isQuotaRefusal('gw-d'));
  });
});
