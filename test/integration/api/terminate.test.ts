import assert from 'node:assert/strict';
import {
  AuthorizationException, AuthzToken, enumName, exampleExperiment, ExperimentNotFoundException, ExperimentState, InvalidRequestException,
  MetaSchedulerConnection, ProcessState,
} from '@msched/airavata-thrift';
import type { CancelRequested } from '@msched/model';
import { requireStack } from '../../helpers/stack';
import { startTestApi, TestApi } from './harness';

const token = new AuthzToken({ accessToken: 'dev', claimsMap: { userName: 'bob' } });

describe('terminating an experiment (integration)', function () {
  let t: TestApi;
  let conn: MetaSchedulerConnection;

  before(async () => {
    await requireStack('postgres');
    t = await startTestApi('api_terminate');
    conn = await t.connect();
  });
  after(async () => { await t?.close(); });

  const cancels = async (experimentId: string) => (await t.ds.query(`SELECT envelope FROM outbox WHERE message_key = $1 AND topic = 'cancel' ORDER BY seq`, [experimentId]))
    .map((r: { envelope: { payload: CancelRequested; type: string } }) => r.envelope);

  it('records CANCELING and hands a cancel for the job to the workers; twice is harmless', async () => {
    const exp = exampleExperiment();
    const r = await conn.client.launchExperiment(token, exp);
    await conn.client.terminateExperiment(token, r.experimentId, 'test-gateway');
    assert.equal(enumName(ExperimentState, (await conn.client.getExperimentStatus(token, r.experimentId)).state), 'CANCELING');
    const ps = await conn.client.getProcessStatus(token, r.processId);
    assert.equal(enumName(ProcessState, ps.state), 'CANCELLING');
    assert.equal(ps.reason, 'terminated by bob');
    const [cancel] = await cancels(r.experimentId);
    assert.equal(cancel.type, 'cancel.requested');
    assert.deepEqual(cancel.payload, { experimentId: r.experimentId, processId: r.processId, jobId: r.jobId, gatewayId: 'test-gateway', reason: 'terminated by bob' });
    const events = await t.ds.query(`SELECT envelope->'payload'->>'entity' AS entity, envelope->'payload'->>'state' AS state, envelope->'payload'->>'previousState' AS previous
      FROM outbox WHERE message_key = $1 AND topic = 'events' ORDER BY seq`, [r.experimentId]);
    assert.deepEqual(events.slice(-2), [{ entity: 'experiment', state: 'CANCELING', previous: 'LAUNCHED' }, { entity: 'process', state: 'CANCELLING', previous: 'CREATED' }]);

    await conn.client.terminateExperiment(token, r.experimentId, 'test-gateway');
    assert.equal((await cancels(r.experimentId)).length, 1, 'no second cancel');
    const history = await t.ds.query(`SELECT count(*)::int AS n FROM status_history WHERE entity_id = $1 AND state = 'CANCELING'`, [r.experimentId]);
    assert.equal(history[0].n, 1);
  });

  it('refuses to terminate a finished experiment', async () => {
    const r = await conn.client.launchExperiment(token, exampleExperiment());
    await t.ds.query(`UPDATE experiments SET state = 'COMPLETED' WHERE id = $1`, [r.experimentId]);
    await assert.rejects(conn.client.terminateExperiment(token, r.experimentId, 'test-gateway'),
      (e: unknown) => e instanceof InvalidRequestException && /is already COMPLETED: there is nothing to terminate/.test(e.message));
    assert.deepEqual(await cancels(r.experimentId), []);
  });

  it('does not find an experiment under another gateway, nor without ids', async () => {
    const r = await conn.client.launchExperiment(token, exampleExperiment());
    await assert.rejects(conn.client.terminateExperiment(token, r.experimentId, 'other-gateway'),
      (e: unknown) => e instanceof ExperimentNotFoundException && /in gateway "other-gateway"/.test(e.message));
    await assert.rejects(conn.client.terminateExperiment(token, '', 'test-gateway'), (e: unknown) => e instanceof InvalidRequestException && /experimentId is missing/.test(e.message));
    assert.deepEqual(await cancels(r.experimentId), []);
  });

  it('refuses a token scoped to another gateway', async () => {
    const r = await conn.client.launchExperiment(token, exampleExperiment());
    const foreign = new AuthzToken({ accessToken: 'dev', claimsMap: { gatewayID: 'other-gateway' } });
    for (const call of [
      () => conn.client.terminateExperiment(foreign, r.experimentId, 'test-gateway'),
      () => conn.client.getExperimentStatus(foreign, r.experimentId),
      () => conn.client.getJobs(foreign, r.experimentId),
      () => conn.client.launchExperiment(foreign, exampleExperiment()),
    ]) {
      await assert.rejects(call(), (e: unknown) => e instanceof AuthorizationException && /the token is for gateway "other-gateway", not "test-gateway"/.test(e.message));
    }
    assert.deepEqual(await cancels(r.experimentId), []);
  });
});
