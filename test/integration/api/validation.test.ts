import assert from 'node:assert/strict';
import {
  AuthzToken, ComputationalResourceSchedulingModel, DataType, DEFAULT_ID, exampleExperiment, ExperimentModel, ExperimentType,
  InputDataObjectType, InvalidRequestException, LaunchValidationException, MetaSchedulerConnection, OutputDataObjectType, ProcessModel,
} from '@msched/airavata-thrift';
import { requireStack } from '../../helpers/stack';
import { NOTHING, rowCounts, startTestApi, TestApi } from './harness';

const token = new AuthzToken({ accessToken: 'dev' });
type Case = [what: string, change: (e: ExperimentModel) => void, expected: RegExp];

const sched = (e: ExperimentModel) => e.userConfigurationData?.computationalResourceScheduling as ComputationalResourceSchedulingModel;
const input = (e: ExperimentModel, name: string) => e.experimentInputs?.find((i) => i.name === name) as InputDataObjectType;

/** One case per validation rule: the change that breaks it and the words the refusal must contain. */
const CASES: Case[] = [
  ['experimentId left at DEFAULT_ID', (e) => { e.experimentId = DEFAULT_ID; }, /experimentId is missing/],
  ['experimentId with a slash', (e) => { e.experimentId = 'Exp/../x'; }, /experimentId "Exp\/\.\.\/x" may only hold/],
  ['gatewayId missing', (e) => { e.gatewayId = ''; }, /gatewayId is missing/],
  ['projectId missing', (e) => { e.projectId = ''; }, /projectId is missing/],
  ['userName missing', (e) => { e.userName = ' '; }, /userName is missing/],
  ['experimentName missing', (e) => { e.experimentName = ''; }, /experimentName is missing/],
  ['a WORKFLOW experiment without its workflow', (e) => { e.experimentType = ExperimentType.WORKFLOW; }, /experimentType WORKFLOW needs ExperimentModel.workflow \(field 20\)/],
  ['an experimentType out of range', (e) => { e.experimentType = 9 as ExperimentType; }, /experimentType 9 is not an ExperimentType/],
  ['no application interface', (e) => { e.executionId = ''; }, /executionId \(the application interface id\) is missing/],
  ['no userConfigurationData', (e) => { e.userConfigurationData = undefined; }, /userConfigurationData is missing/],
  ['no resource scheduling', (e) => { (e.userConfigurationData as { computationalResourceScheduling?: unknown }).computationalResourceScheduling = undefined; }, /computationalResourceScheduling is missing/],
  ['no resourceHostId', (e) => { sched(e).resourceHostId = ''; }, /resourceHostId is missing/],
  ['an unknown compute resource', (e) => { sched(e).resourceHostId = 'stampede2'; }, /resourceHostId "stampede2" is not a compute resource of this installation \(known: mesos-local\)/],
  ['totalCPUCount 0', (e) => { sched(e).totalCPUCount = 0; }, /totalCPUCount must be greater than 0 \(got 0\)/],
  ['totalCPUCount negative', (e) => { sched(e).totalCPUCount = -4; }, /totalCPUCount must be greater than 0 \(got -4\)/],
  ['totalCPUCount above the limit', (e) => { sched(e).totalCPUCount = 5000; sched(e).nodeCount = 1; }, /totalCPUCount 5000 exceeds the 4096 cpus/],
  ['nodeCount above totalCPUCount', (e) => { sched(e).nodeCount = 5; }, /nodeCount 5 exceeds totalCPUCount 4/],
  ['nodeCount above the ranks', (e) => { sched(e).numberOfThreads = 4; sched(e).nodeCount = 2; }, /nodeCount 2 exceeds the 1 ranks/],
  ['nodeCount negative', (e) => { sched(e).nodeCount = -1; }, /nodeCount must be positive/],
  ['cpus not splitting into ranks', (e) => { sched(e).numberOfThreads = 3; sched(e).nodeCount = 1; }, /totalCPUCount 4 is not a multiple of numberOfThreads 3/],
  ['wallTimeLimit 0', (e) => { sched(e).wallTimeLimit = 0; }, /wallTimeLimit must be greater than 0 minutes/],
  ['wallTimeLimit above the limit', (e) => { sched(e).wallTimeLimit = 20000; }, /wallTimeLimit 20000 minutes exceeds the 10080 allowed/],
  ['memory negative', (e) => { sched(e).totalPhysicalMemory = -1; }, /totalPhysicalMemory must be positive/],
  ['memory above the limit', (e) => { sched(e).totalPhysicalMemory = 2_000_000; }, /totalPhysicalMemory 2000000 MB exceeds the 1048576 MB/],
  ['memory below 1 MB per rank', (e) => { sched(e).totalPhysicalMemory = 3; }, /totalPhysicalMemory 3 MB is less than 1 MB for each of the 4 ranks/],
  ['no queue', (e) => { sched(e).queueName = ''; }, /queueName is missing \(queues: normal, debug\)/],
  ['a queue with no Mesos role', (e) => { sched(e).queueName = 'gpu'; }, /queueName "gpu" is not served here \(queues: normal, debug\)/],
  ['an input without a name', (e) => { e.experimentInputs?.push(new InputDataObjectType({ name: '' })); }, /experimentInputs\[4\] has no name/],
  ['an input twice', (e) => { e.experimentInputs?.push(new InputDataObjectType({ name: 'label', value: 'x' })); }, /input "label" appears twice/],
  ['an INTEGER input that is not one', (e) => { input(e, 'iterations').value = '12.5'; }, /input "iterations" is typed INTEGER but its value "12.5" is not an integer/],
  ['a FLOAT input that is not one', (e) => { input(e, 'tolerance').value = 'small'; }, /input "tolerance" is typed FLOAT but its value "small" is not a number/],
  ['a URI input that is not one', (e) => { input(e, 'config').value = 'not a uri'; }, /input "config" is typed URI but its value "not a uri" is not a URI/],
  ['a URI_COLLECTION with a bad item', (e) => { e.experimentInputs?.push(new InputDataObjectType({ name: 'files', type: DataType.URI_COLLECTION, value: 'file:///a, b c' })); }, /input "files" is typed URI_COLLECTION but its value .* holds an item that is not a URI: "b c"/],
  ['an input typed STDOUT', (e) => { input(e, 'label').type = DataType.STDOUT; }, /input "label" has type STDOUT, which only outputs may have/],
  ['an input of an unknown type', (e) => { input(e, 'label').type = 42 as DataType; }, /input "label" has type 42, which is not a DataType/],
  ['a required input without a value', (e) => { input(e, 'iterations').value = ''; }, /input "iterations" is required but has no value/],
  ['an output without a name', (e) => { e.experimentOutputs?.push(new OutputDataObjectType({ name: '' })); }, /experimentOutputs\[2\] has no name/],
  ['an output twice', (e) => { e.experimentOutputs?.push(new OutputDataObjectType({ name: 'result' })); }, /output "result" appears twice/],
  ['two processes', (e) => { e.processes = [new ProcessModel({ processId: DEFAULT_ID, experimentId: e.experimentId as string }), new ProcessModel({ processId: DEFAULT_ID, experimentId: e.experimentId as string })]; }, /2 processes were sent/],
  ['a process of another experiment', (e) => { e.processes = [new ProcessModel({ processId: DEFAULT_ID, experimentId: 'Exp_other' })]; }, /processes\[0\]\.experimentId "Exp_other" is not the experiment's id/],
];

describe('launch validation at the edge (integration)', function () {
  let t: TestApi;
  let conn: MetaSchedulerConnection;

  before(async () => {
    await requireStack('postgres');
    t = await startTestApi('api_validation');
    conn = await t.connect();
  });
  after(async () => { await t?.close(); });

  for (const [what, change, expected] of CASES) {
    it(`refuses ${what}, writing nothing`, async () => {
      const exp = exampleExperiment();
      const id = exp.experimentId as string;
      change(exp);
      await assert.rejects(conn.client.launchExperiment(token, exp), (e: unknown) => {
        assert.ok(e instanceof InvalidRequestException, `got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
        assert.match(e.message, expected);
        return true;
      });
      await assert.rejects(conn.client.validateExperiment(token, exp), (e: unknown) => {
        assert.ok(e instanceof LaunchValidationException, `got ${(e as Error)?.constructor?.name}`);
        assert.equal(e.validationResult.validationState, false);
        assert.ok(e.validationResult.validationResultList.some((r) => r.result === false && expected.test(r.errorDetails ?? '')), JSON.stringify(e.validationResult));
        return true;
      });
      for (const key of new Set([id, exp.experimentId as string])) assert.deepEqual(await rowCounts(t.ds, key), NOTHING);
    });
  }

  it('lists every failed check at once', async () => {
    const exp = exampleExperiment();
    sched(exp).totalCPUCount = 0;
    sched(exp).wallTimeLimit = -5;
    sched(exp).queueName = 'gpu';
    exp.userName = '';
    const err = await conn.client.launchExperiment(token, exp).then(() => undefined, (e: unknown) => e as InvalidRequestException);
    assert.match(err?.message ?? '', /launch refused, 4 problems: \(1\) userName is missing; \(2\) totalCPUCount must be greater than 0.*; \(3\) wallTimeLimit must be greater than 0.*; \(4\) queueName "gpu" is not served here/);
    const lve = await conn.client.validateExperiment(token, exp).then(() => undefined, (e: unknown) => e as LaunchValidationException);
    assert.equal(lve?.validationResult.validationResultList.length, 4);
    assert.deepEqual(await rowCounts(t.ds, exp.experimentId as string), NOTHING);
  });

  it('validates a good experiment as true, writing nothing', async () => {
    const exp = exampleExperiment();
    assert.equal(await conn.client.validateExperiment(token, exp), true);
    assert.deepEqual(await rowCounts(t.ds, exp.experimentId as string), NOTHING);
  });
});
