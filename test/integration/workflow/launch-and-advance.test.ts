import assert from 'node:assert/strict';
import {
  AuthzToken, DataType, exampleWorkflowExperiment, ExperimentModel, InputDataObjectType, InvalidRequestException, LaunchValidationException,
  MetaSchedulerConnection, OutputDataObjectType, WorkflowConnection, workflowExperiment,
} from '@msched/airavata-thrift';
import { withTransaction } from '@msched/db';
import { recordTransition } from '@msched/state-recorder';
import { NOTHING, rowCounts, startTestApi, TestApi } from '../api/harness';
import { requireStack } from '../../helpers/stack';
import { endProcess, jobOf, launchMessages, nodeStates, states, workflowRows } from './support';

const token = new AuthzToken({ accessToken: 'dev' });
type Case = [what: string, change: (e: ExperimentModel) => void, expected: RegExp];
const app = (e: ExperimentModel, id: string) => e.workflow!.applications!.find((a) => a.id === id)!;
const conn = (e: ExperimentModel, id: string) => e.workflow!.connections!.find((c) => c.id === id)!;

/** One case per workflow validation rule: the change that breaks it and the words the refusal must contain. */
const CASES: Case[] = [
  ['a WORKFLOW experiment without its workflow', (e) => { e.workflow = undefined; }, /experimentType WORKFLOW needs ExperimentModel.workflow \(field 20\)/],
  ['a cycle', (e) => {
    e.processes!.find((p) => p.processId?.endsWith('.pre'))!.processInputs!.push(new InputDataObjectType({ name: 'again', type: DataType.URI }));
    e.workflow!.connections![3].toType = 0; e.workflow!.connections![3].toId = 'pre'; e.workflow!.connections![3].toInputName = 'again';
  }, /the connections form a cycle: pre -> solve -> post -> pre/],
  ['a connection from an application that does not exist', (e) => { conn(e, 'c2').fromId = 'ghost'; }, /connection "c2" comes from application "ghost", which the workflow does not have/],
  ['a connection to a handler that does not exist', (e) => { conn(e, 'c4').toId = 'nowhere'; }, /connection "c4" goes to handler "nowhere"/],
  ['two applications with one id', (e) => { app(e, 'post').id = 'pre'; }, /component id "pre" is used by more than one application or handler/],
  ['two connections with one id', (e) => { conn(e, 'c3').id = 'c2'; }, /connection id "c2" appears more than once/],
  ['two applications naming one process', (e) => { app(e, 'post').processId = app(e, 'pre').processId; }, /processId "\S+\.pre" is named by more than one application/],
  ['a workflow without applications', (e) => { e.workflow!.applications = []; e.workflow!.connections = []; }, /the workflow has no applications/],
  ['a FLOW_TERMINATOR used as a source', (e) => { conn(e, 'c1').fromId = 'end'; }, /connection "c1" comes from handler "end", a FLOW_TERMINATOR: only a FLOW_STARTER supplies values/],
  ['an application naming a process that was not sent', (e) => { app(e, 'solve').processId = 'P_missing'; }, /application "solve" names processId "P_missing", which is not among ExperimentModel.processes/],
  ['a connection naming an output that does not exist', (e) => { conn(e, 'c2').fromOutputName = 'grid'; }, /connection "c2" names output "grid" of "pre", which has no such output \(outputs: mesh\)/],
  ['a connection naming an input that does not exist', (e) => { conn(e, 'c3').toInputName = 'data'; }, /connection "c3" names input "data" of "post", which has no such input \(inputs: result\)/],
  ['an MPI application without nodeCount', (e) => { app(e, 'solve').nodeCount = undefined; }, /application "solve" has no nodeCount, which queue "normal" needs for more than one core/],
  ['an application without coreCount', (e) => { app(e, 'post').coreCount = 0; }, /application "post" has no coreCount, which queue "normal" needs/],
  ['an application without wallTimeLimit', (e) => { app(e, 'pre').wallTimeLimit = undefined; }, /application "pre" has no wallTimeLimit, which queue "normal" needs/],
  ['an application on a queue not served here', (e) => { app(e, 'post').queueName = 'gpu'; }, /application "post": queueName "gpu" is not served here/],
  ['a STDOUT stream fed into the next application', (e) => {
    e.processes!.find((p) => p.processId?.endsWith('.pre'))!.processOutputs![0].type = DataType.STDOUT;
  }, /connection "c2" feeds output "mesh" of "pre", a STDOUT\/STDERR stream, into application "solve"/],
  ['two inputs landing on one sandbox file', (e) => {
    e.processes!.find((p) => p.processId?.endsWith('.solve'))!.processInputs!.push(new InputDataObjectType({ name: 'mesh2', type: DataType.URI }));
    e.processes!.find((p) => p.processId?.endsWith('.pre'))!.processOutputs!.push(new OutputDataObjectType({ name: 'mesh2', type: DataType.URI, value: 'sub/mesh.txt' }));
    e.workflow!.connections!.push(new WorkflowConnection({ id: 'c9', fromType: 0, fromId: 'pre', fromOutputName: 'mesh2', toType: 0, toId: 'solve', toInputName: 'mesh2' }));
  }, /application "solve" would receive two files named "mesh.txt" \(from pre.mesh and pre.mesh2\)/],
  ['an unknown failure policy', (e) => { e.experimentInputs = [new InputDataObjectType({ name: 'msched.failurePolicy', value: 'YOLO' })]; }, /input "msched.failurePolicy" is "YOLO"; it must be one of FAIL_FAST, FINISH_INDEPENDENT/],
];

describe('workflow experiments: launch validation and advancing from committed state (integration)', function () {
  this.timeout(30000);
  let t: TestApi;
  let c: MetaSchedulerConnection;

  before(async () => {
    await requireStack('postgres');
    t = await startTestApi('api_workflow');
    c = await t.connect();
  });
  after(async () => { await t?.close(); });

  for (const [what, change, expected] of CASES) {
    it(`refuses ${what}, writing nothing`, async () => {
      const exp = exampleWorkflowExperiment();
      change(exp);
      await assert.rejects(c.client.launchExperiment(token, exp), (e: unknown) => {
        assert.ok(e instanceof InvalidRequestException, `got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
        assert.match(e.message, expected);
        return true;
      });
      await assert.rejects(c.client.validateExperiment(token, exp), (e: unknown) => e instanceof LaunchValidationException);
      assert.deepEqual(await rowCounts(t.ds, exp.experimentId as string), NOTHING);
      assert.deepEqual(await workflowRows(t.ds, exp.experimentId as string), { workflows: 0, nodes: 0 });
    });
  }

  it('launches over Thrift: every application a process, only the first started, its input staged from the starter', async () => {
    const exp = exampleWorkflowExperiment();
    const id = exp.experimentId as string;
    assert.equal(await c.client.validateExperiment(token, exp), true);
    const r = await c.client.launchExperiment(token, exp);
    assert.equal(r.created, true);
    assert.equal(r.processId, `${id}.pre`);
    assert.deepEqual(await nodeStates(t.ds, id), { pre: 'LAUNCHED', solve: 'CREATED', post: 'CREATED', start: 'COMPLETED', end: 'CREATED' });
    const counts = await rowCounts(t.ds, id);
    assert.equal(counts.processes, 3);
    assert.equal(counts.jobs, 1);
    const launches = await launchMessages(t.ds, id);
    assert.deepEqual(launches.map((l) => [l.processId, l.jobId]), [[`${id}.pre`, r.jobId]]);
    assert.deepEqual(launches[0].process.processInputs?.map((i) => [i.name, i.value]), [['size', '64']]);
    assert.deepEqual(await states(t.ds, id), { experiment: 'LAUNCHED', workflow: 'LAUNCHED' });

    const again = await c.client.launchExperiment(token, exp);
    assert.deepEqual([again.processId, again.jobId, again.created], [r.processId, r.jobId, false]);
    assert.equal((await launchMessages(t.ds, id)).length, 1);
  });

  it('starts the next application in the transaction that ends the previous one, with the collected output as its input', async () => {
    const exp = exampleWorkflowExperiment();
    const id = exp.experimentId as string;
    await c.client.launchExperiment(token, exp);
    await endProcess(t.ds, 'test-gateway', id, `${id}.pre`, 'COMPLETED', '/data/wf/applications/pre');
    assert.deepEqual(await states(t.ds, id), { experiment: 'EXECUTING', workflow: 'EXECUTING' });
    const launches = await launchMessages(t.ds, id);
    assert.deepEqual(launches.map((l) => l.processId), [`${id}.pre`, `${id}.solve`]);
    assert.deepEqual(launches[1].process.processInputs?.map((i) => [i.name, i.value]), [['mesh', '/data/wf/applications/pre/mesh.txt']]);
    assert.equal((await nodeStates(t.ds, id)).solve, 'LAUNCHED');

    // A redelivered end changes nothing: no second job, no second launch.
    await endProcess(t.ds, 'test-gateway', id, `${id}.pre`, 'COMPLETED', '/data/wf/applications/pre');
    assert.equal((await launchMessages(t.ds, id)).length, 2);

    await endProcess(t.ds, 'test-gateway', id, `${id}.solve`, 'COMPLETED', '/data/wf/applications/solve');
    await endProcess(t.ds, 'test-gateway', id, `${id}.post`, 'COMPLETED', '/data/wf/applications/post');
    assert.deepEqual(await states(t.ds, id), { experiment: 'COMPLETED', workflow: 'COMPLETED' });
    assert.equal((await nodeStates(t.ds, id)).end, 'COMPLETED');
    const [collected] = await t.ds.query(`SELECT data FROM workflow_nodes WHERE experiment_id = $1 AND node_id = 'end'`, [id]);
    assert.deepEqual(collected.data.inputs.map((i: { name: string; value: string }) => [i.name, i.value]), [['report', '/data/wf/applications/post/stdout']]);
    const [outputs] = await t.ds.query(`SELECT count(*)::int AS n FROM outbox WHERE message_key = $1 AND type = 'outputs.collected'`, [id]);
    assert.equal(outputs.n, 1);
  });

  it('reports every workflow and application state change as a workflow.status.changed event, beside its history row', async () => {
    const exp = exampleWorkflowExperiment();
    const id = exp.experimentId as string;
    await c.client.launchExperiment(token, exp);
    for (const step of ['pre', 'solve', 'post']) await endProcess(t.ds, 'test-gateway', id, `${id}.${step}`, 'COMPLETED', `/data/wf/applications/${step}`);
    const events: Array<{ entity: string; nodeId?: string; state: string; previousState: string; workflowId: string }> = (await t.ds.query(
      `SELECT envelope FROM outbox WHERE message_key = $1 AND type = 'workflow.status.changed' ORDER BY seq`, [id])).map((r: { envelope: { payload: never } }) => r.envelope.payload);
    const changes = (who: string) => events.filter((e) => (e.nodeId ?? 'workflow') === who).map((e) => `${e.previousState}>${e.state}`);
    assert.deepEqual(changes('workflow'), ['CREATED>LAUNCHED', 'LAUNCHED>EXECUTING', 'EXECUTING>COMPLETED']);
    for (const step of ['pre', 'solve', 'post']) assert.deepEqual(changes(step), ['CREATED>LAUNCHED', 'LAUNCHED>EXECUTING', 'EXECUTING>COMPLETED'], step);
    assert.deepEqual(changes('start'), ['CREATED>COMPLETED']);
    assert.deepEqual(changes('end'), ['CREATED>COMPLETED']);
    assert.ok(events.every((e) => e.workflowId === exp.workflow!.id));
    // In order: no application starts before its predecessor completed.
    const at = (node: string, state: string) => events.findIndex((e) => e.nodeId === node && e.state === state);
    assert.ok(at('pre', 'COMPLETED') < at('solve', 'LAUNCHED') && at('solve', 'COMPLETED') < at('post', 'LAUNCHED'));
    const history: Array<{ n: number }> = await t.ds.query(
      `SELECT count(*)::int AS n FROM status_history WHERE experiment_id = $1 AND entity_type IN ('workflow', 'application', 'handler') AND state <> 'CREATED'`, [id]);
    assert.equal(history[0].n, events.length);
  });

  it('an application retried after an infrastructure failure waits SCHEDULED; its successors start only once it completes', async () => {
    const exp = exampleWorkflowExperiment();
    const id = exp.experimentId as string;
    await c.client.launchExperiment(token, exp);
    const subject = { gatewayId: 'test-gateway', experimentId: id, processId: `${id}.pre` };
    // What the dispatcher's queueNextAttempt records for the process when attempt 1 is lost to the infrastructure.
    await withTransaction(t.ds, async (tx) => {
      for (const to of ['STARTED', 'EXECUTING', 'REQUEUED']) await recordTransition(tx, { entity: 'process', id: `${id}.pre`, to, source: 'dispatcher', subject });
    });
    assert.deepEqual(await nodeStates(t.ds, id), { pre: 'SCHEDULED', solve: 'CREATED', post: 'CREATED', start: 'COMPLETED', end: 'CREATED' });
    assert.equal((await launchMessages(t.ds, id)).length, 1);
    assert.equal((await states(t.ds, id)).workflow, 'EXECUTING');
    await endProcess(t.ds, 'test-gateway', id, `${id}.pre`, 'COMPLETED', '/data/wf/applications/pre');
    assert.deepEqual((await launchMessages(t.ds, id)).map((l) => l.processId), [`${id}.pre`, `${id}.solve`]);
  });

  function diamond(policy: string): ExperimentModel {
    const io = (i: string[], o: string) => ({
      inputs: i.map((n) => new InputDataObjectType({ name: n, type: DataType.URI })), outputs: [new OutputDataObjectType({ name: o, type: DataType.URI, value: `${o}.txt` })],
    });
    return workflowExperiment({
      failurePolicy: policy,
      steps: [{ id: 'a', application: 'echo', ...io([], 'x') }, { id: 'b', application: 'echo', ...io(['x'], 'y') },
        { id: 'c', application: 'echo', ...io(['x'], 'z') }, { id: 'd', application: 'echo', ...io(['y', 'z'], 'w') }],
      edges: [['a', 'x', 'b', 'x'], ['a', 'x', 'c', 'x'], ['b', 'y', 'd', 'y'], ['c', 'z', 'd', 'z'], ['d', 'w', 'end', 'w']],
    });
  }

  it('a diamond starts both middle applications together', async () => {
    const exp = diamond('FAIL_FAST');
    const id = exp.experimentId as string;
    await c.client.launchExperiment(token, exp);
    await endProcess(t.ds, 'test-gateway', id, `${id}.a`, 'COMPLETED', '/d/a');
    assert.deepEqual((await launchMessages(t.ds, id)).map((l) => l.processId.split('.').pop()), ['a', 'b', 'c']);
  });

  it('fail fast: a failed branch cancels the running one and skips the rest; the experiment FAILS', async () => {
    const exp = diamond('FAIL_FAST');
    const id = exp.experimentId as string;
    await c.client.launchExperiment(token, exp);
    await endProcess(t.ds, 'test-gateway', id, `${id}.a`, 'COMPLETED', '/d/a');
    await endProcess(t.ds, 'test-gateway', id, `${id}.b`, 'FAILED');
    assert.deepEqual(await nodeStates(t.ds, id), { start: 'COMPLETED', end: 'CREATED', a: 'COMPLETED', b: 'FAILED', c: 'CANCELING', d: 'CANCELED' });
    const cancel = await t.ds.query(`SELECT envelope FROM outbox WHERE message_key = $1 AND topic = 'cancel'`, [id]);
    assert.deepEqual(cancel.map((r: { envelope: { payload: { jobId: string } } }) => r.envelope.payload.jobId), [(await jobOf(t.ds, `${id}.c`))!.id]);
    await endProcess(t.ds, 'test-gateway', id, `${id}.c`, 'CANCELED');
    assert.deepEqual(await states(t.ds, id), { experiment: 'FAILED', workflow: 'FAILED' });
  });

  it('finish independent branches: the sibling runs to its end, only the failed branch\'s successors are skipped', async () => {
    const exp = diamond('FINISH_INDEPENDENT');
    const id = exp.experimentId as string;
    await c.client.launchExperiment(token, exp);
    await endProcess(t.ds, 'test-gateway', id, `${id}.a`, 'COMPLETED', '/d/a');
    await endProcess(t.ds, 'test-gateway', id, `${id}.b`, 'FAILED');
    assert.deepEqual(await nodeStates(t.ds, id), { start: 'COMPLETED', end: 'CREATED', a: 'COMPLETED', b: 'FAILED', c: 'LAUNCHED', d: 'CANCELED' });
    assert.equal((await states(t.ds, id)).experiment, 'EXECUTING');
    await endProcess(t.ds, 'test-gateway', id, `${id}.c`, 'COMPLETED', '/d/c');
    assert.deepEqual(await states(t.ds, id), { experiment: 'FAILED', workflow: 'FAILED' });
  });

  it('terminateExperiment cancels every running application and skips the rest', async () => {
    const exp = diamond('FINISH_INDEPENDENT');
    const id = exp.experimentId as string;
    await c.client.launchExperiment(token, exp);
    await endProcess(t.ds, 'test-gateway', id, `${id}.a`, 'COMPLETED', '/d/a');
    await c.client.terminateExperiment(token, id, 'test-gateway');
    assert.deepEqual(await nodeStates(t.ds, id), { start: 'COMPLETED', end: 'CREATED', a: 'COMPLETED', b: 'CANCELING', c: 'CANCELING', d: 'CANCELED' });
    const cancels = await t.ds.query(`SELECT envelope FROM outbox WHERE message_key = $1 AND topic = 'cancel' ORDER BY seq`, [id]);
    assert.equal(cancels.length, 2);
    await c.client.terminateExperiment(token, id, 'test-gateway');
    assert.equal((await t.ds.query(`SELECT envelope FROM outbox WHERE message_key = $1 AND topic = 'cancel'`, [id])).length, 2);
    await endProcess(t.ds, 'test-gateway', id, `${id}.b`, 'CANCELED');
    await endProcess(t.ds, 'test-gateway', id, `${id}.c`, 'CANCELED');
    assert.deepEqual(await states(t.ds, id), { experiment: 'CANCELED', workflow: 'CANCELED' });
  });

  it('two branches ending at the same moment decide one after the other: no deadlock, one consistent outcome', async () => {
    for (let round = 0; round < 5; round++) {
      const exp = diamond('FAIL_FAST');
      const id = exp.experimentId as string;
      await c.client.launchExperiment(token, exp);
      await endProcess(t.ds, 'test-gateway', id, `${id}.a`, 'COMPLETED', '/d/a');
      // b fails while c changes state and completes, in two concurrent transactions.
      await Promise.all([
        endProcess(t.ds, 'test-gateway', id, `${id}.b`, 'FAILED'),
        endProcess(t.ds, 'test-gateway', id, `${id}.c`, 'COMPLETED', '/d/c'),
      ]);
      const nodes = await nodeStates(t.ds, id);
      assert.equal(nodes.b, 'FAILED');
      assert.ok(['COMPLETED', 'CANCELING'].includes(nodes.c), nodes.c);
      assert.equal(nodes.d, 'CANCELED');
      if (nodes.c === 'COMPLETED') assert.deepEqual(await states(t.ds, id), { experiment: 'FAILED', workflow: 'FAILED' });
    }
  });
});
