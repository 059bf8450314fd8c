import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  AuthzToken, enumName, exampleExperiment, ExperimentNotFoundException, ExperimentState, InvalidRequestException, JobState,
  MetaSchedulerConnection, ProcessModel, ProcessState, toPlain, int64ToNumber,
} from '@msched/airavata-thrift';
import type { LaunchAccepted } from '@msched/model';
import { createKafka, decodeEnvelope, topicName } from '@msched/bus';
import { ensureRunTopics, requireStack } from '../../helpers/stack';
import { eventually } from '../../helpers/eventually';
import { readTopic, ReadMessage } from '../../helpers/kafka-reader';
import { ONE_LAUNCH, rowCounts, startTestApi, TestApi } from './harness';

const token = new AuthzToken({ accessToken: 'dev', claimsMap: { gatewayID: 'test-gateway', userName: 'alice' } });

describe('launching over Thrift (integration)', function () {
  let t: TestApi;
  let conn: MetaSchedulerConnection;
  let launches: ReadMessage[];
  let events: ReadMessage[];
  const stops: Array<() => Promise<void>> = [];

  before(async () => {
    await requireStack('postgres', 'kafka');
    t = await startTestApi('api_launch', {}, { relay: true });
    await ensureRunTopics(t.cfg);
    conn = await t.connect();
    const l = await readTopic(createKafka(t.cfg.kafka), topicName(t.cfg.kafka.topicPrefix, 'launch'));
    const e = await readTopic(createKafka(t.cfg.kafka), topicName(t.cfg.kafka.topicPrefix, 'events'));
    stops.push(l.stop, e.stop);
    launches = l.messages;
    events = e.messages;
  });
  after(async () => {
    await Promise.all(stops.map((s) => s()));
    await t?.close();
  });

  /** Every launch message of an experiment on Kafka, once the ones published so far have arrived. */
  async function launchMessagesOf(experimentId: string): Promise<ReadMessage[]> {
    await eventually('the outbox is drained', async () => Number((await t.ds.query('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL'))[0].n) === 0);
    // A marker with the same key lands in the same partition after anything published before it.
    const producer = createKafka(t.cfg.kafka).producer();
    await producer.connect();
    const marker = randomUUID();
    await producer.send({ topic: topicName(t.cfg.kafka.topicPrefix, 'launch'), messages: [{ key: experimentId, value: JSON.stringify({ marker }) }] });
    await producer.disconnect();
    await eventually('the marker is read', () => launches.some((m) => m.value.includes(marker)));
    return launches.filter((m) => m.key === experimentId && !m.value.includes('"marker"'));
  }

  it('answers getAPIVersion', async () => {
    assert.equal(await conn.client.getAPIVersion(), '0.1.0');
  });

  it('records the launch, its status history and its Kafka event; returns the ids it made', async () => {
    const exp = exampleExperiment();
    const r = await conn.client.launchExperiment(token, exp);
    assert.equal(r.experimentId, exp.experimentId);
    assert.match(r.processId, /^PROCESS_/);
    assert.match(r.jobId, /^JOB_/);
    assert.equal(r.created, true);
    const id = exp.experimentId as string;

    assert.deepEqual(await rowCounts(t.ds, id), ONE_LAUNCH);
    const [e] = await t.ds.query('SELECT gateway_id, user_name, project_id, name, state, model FROM experiments WHERE id = $1', [id]);
    assert.deepEqual({ ...e, model: undefined }, { gateway_id: 'test-gateway', user_name: 'alice', project_id: 'default-project', name: exp.experimentName, state: 'LAUNCHED', model: undefined });
    assert.deepEqual(e.model, JSON.parse(JSON.stringify(toPlain(exp))));
    const [p] = await t.ds.query('SELECT id, state, compute_resource_id, application_interface_id, experiment_data_dir, resource_schedule FROM processes WHERE experiment_id = $1', [id]);
    assert.equal(p.id, r.processId);
    assert.equal(p.state, 'CREATED');
    assert.equal(p.compute_resource_id, 'mesos-local');
    assert.equal(p.application_interface_id, 'mpi-ring');
    assert.equal(p.experiment_data_dir, `/data/${id}`);
    assert.equal(p.resource_schedule.totalCPUCount, 4);
    const [j] = await t.ds.query('SELECT id, process_id, attempt, state, gang_spec, task_id FROM jobs WHERE experiment_id = $1', [id]);
    assert.deepEqual({ ...j, task_id: undefined }, { id: r.jobId, process_id: r.processId, attempt: 1, state: 'SUBMITTED', gang_spec: null, task_id: undefined });
    const history = await t.ds.query('SELECT entity_type, entity_id, state, source FROM status_history WHERE experiment_id = $1 ORDER BY id', [id]);
    assert.deepEqual(history, [
      { entity_type: 'experiment', entity_id: id, state: 'CREATED', source: 'api' },
      { entity_type: 'experiment', entity_id: id, state: 'LAUNCHED', source: 'api' },
      { entity_type: 'process', entity_id: r.processId, state: 'CREATED', source: 'api' },
      { entity_type: 'job', entity_id: r.jobId, state: 'SUBMITTED', source: 'api' },
    ]);

    const [msg] = await launchMessagesOf(id);
    const env = decodeEnvelope(Buffer.from(msg.value));
    assert.equal(env.type, 'launch.accepted');
    assert.equal(env.version, 1);
    const payload = env.payload as LaunchAccepted;
    assert.deepEqual({ ...payload, experiment: undefined, process: undefined }, {
      experimentId: id, processId: r.processId, jobId: r.jobId, taskId: j.task_id, attempt: 1, gatewayId: 'test-gateway', userName: 'alice',
      computeResourceId: 'mesos-local', queueName: 'normal', role: 'mpi', experiment: undefined, process: undefined,
    });
    assert.deepEqual(payload.experiment, e.model);
    assert.equal(payload.process.processId, r.processId);
    assert.equal(payload.process.processResourceSchedule?.nodeCount, 2);
    assert.equal(payload.process.processInputs?.length, 4);

    await eventually('four status events are on the events topic', () => events.filter((m) => m.key === id).length >= 4);
    const states = events.filter((m) => m.key === id).map((m) => decodeEnvelope(Buffer.from(m.value)).payload as { entity: string; state: string });
    assert.deepEqual(states.map((s) => `${s.entity}:${s.state}`), ['experiment:CREATED', 'experiment:LAUNCHED', 'process:CREATED', 'job:SUBMITTED']);
  });

  it('answers a repeated launch with the same ids and launches nothing twice', async () => {
    const exp = exampleExperiment();
    const id = exp.experimentId as string;
    const first = await conn.client.launchExperiment(token, exp);
    const again = await conn.client.launchExperiment(token, exampleExperiment({ experimentId: id }));
    const third = await (await t.connect()).client.launchExperiment(token, exp);
    for (const r of [again, third]) {
      assert.deepEqual({ ...r }, { ...first, created: false });
    }
    assert.deepEqual(await rowCounts(t.ds, id), ONE_LAUNCH);
    assert.equal((await launchMessagesOf(id)).length, 1, 'exactly one launch event on Kafka');
  });

  it('refuses another payload under a launched experiment id, changing nothing', async () => {
    const exp = exampleExperiment();
    const id = exp.experimentId as string;
    await conn.client.launchExperiment(token, exp);
    const other = exampleExperiment({ experimentId: id, totalCPUCount: 8 });
    await assert.rejects(conn.client.launchExperiment(token, other),
      (e: unknown) => e instanceof InvalidRequestException && /already launched with a different ExperimentModel/.test(e.message));
    assert.deepEqual(await rowCounts(t.ds, id), ONE_LAUNCH);
  });

  it('launches each of many concurrent identical requests exactly once', async () => {
    const exp = exampleExperiment();
    const conns = await Promise.all([1, 2, 3, 4, 5].map(() => t.connect()));
    const results = await Promise.all(conns.map((c) => c.client.launchExperiment(token, exp)));
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.equal(new Set(results.map((r) => `${r.processId}/${r.jobId}`)).size, 1);
    assert.deepEqual(await rowCounts(t.ds, exp.experimentId as string), ONE_LAUNCH);
  });

  it('adopts the ProcessModel id Airavata sent, and refuses it under another experiment', async () => {
    const exp = exampleExperiment();
    const processId = `PROCESS_airavata_${randomUUID()}`;
    exp.processes = [new ProcessModel({ processId, experimentId: exp.experimentId as string, applicationDeploymentId: 'deploy-1' })];
    const r = await conn.client.launchExperiment(token, exp);
    assert.equal(r.processId, processId);
    const [p] = await t.ds.query('SELECT application_deployment_id FROM processes WHERE id = $1', [processId]);
    assert.equal(p.application_deployment_id, 'deploy-1');
    const thief = exampleExperiment();
    thief.processes = [new ProcessModel({ processId, experimentId: thief.experimentId as string })];
    await assert.rejects(conn.client.launchExperiment(token, thief), (e: unknown) => e instanceof InvalidRequestException && /already belongs to another experiment/.test(e.message));
    assert.equal((await rowCounts(t.ds, thief.experimentId as string)).experiments, 0);
  });

  it('reports experiment, process and job status with history', async () => {
    const exp = exampleExperiment();
    const r = await conn.client.launchExperiment(token, exp);
    const es = await conn.client.getExperimentStatus(token, r.experimentId);
    assert.equal(enumName(ExperimentState, es.state), 'LAUNCHED');
    assert.match(es.reason ?? '', /queue normal \(Mesos role mpi\)/);
    assert.ok((int64ToNumber(es.timeOfStateChange) ?? 0) > Date.now() - 60_000);
    const ps = await conn.client.getProcessStatus(token, r.processId);
    assert.equal(enumName(ProcessState, ps.state), 'CREATED');
    assert.equal(ps.processId, r.processId);
    const jobs = await conn.client.getJobs(token, r.experimentId);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0].jobId, r.jobId);
    assert.equal(jobs[0].processId, r.processId);
    assert.match(jobs[0].taskId, /^TASK_/);
    assert.match(jobs[0].jobDescription, /gang not resolved yet/);
    assert.deepEqual(jobs[0].jobStatuses?.map((s) => enumName(JobState, s.jobState)), ['SUBMITTED']);
  });

  it('answers ExperimentNotFoundException for unknown ids', async () => {
    for (const call of [
      () => conn.client.getExperimentStatus(token, 'Exp_nope'),
      () => conn.client.getProcessStatus(token, 'PROCESS_nope'),
      () => conn.client.getJobs(token, 'Exp_nope'),
      () => conn.client.terminateExperiment(token, 'Exp_nope', 'test-gateway'),
    ]) {
      await assert.rejects(call(), (e: unknown) => e instanceof ExperimentNotFoundException && /nope/.test(e.message));
    }
  });
});
