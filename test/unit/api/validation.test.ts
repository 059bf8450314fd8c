import assert from 'node:assert/strict';
import {
  ComputationalResourceSchedulingModel, DataType, exampleExperiment, ExperimentModel, InputDataObjectType, ProcessModel,
} from '@msched/airavata-thrift';
import { LAUNCH_RULES, LaunchPolicy, validateLaunch } from '@msched/api';

const policy: LaunchPolicy = {
  computeResources: new Set(['mesos-local', 'mesos-b']), queueRoles: { normal: 'mpi', debug: 'dev' },
  maxCpuCount: 64, maxMemoryMb: 65536, maxWallTimeMinutes: 600, defaultMemoryMbPerRank: 512,
};
const messages = (e: ExperimentModel | null) => validateLaunch(e, policy).map((p) => p.message);
const sched = (e: ExperimentModel) => e.userConfigurationData?.computationalResourceScheduling as ComputationalResourceSchedulingModel;

describe('launch validation rules', () => {
  it('accepts the example experiment', () => {
    assert.deepEqual(messages(exampleExperiment()), []);
  });

  it('names the rule behind each problem', () => {
    const e = exampleExperiment();
    sched(e).queueName = 'gpu';
    assert.deepEqual(validateLaunch(e, policy), [{ rule: 'queue', message: 'queueName "gpu" is not served here (queues: normal, debug)' }]);
    assert.equal(new Set(LAUNCH_RULES.map((r) => r.name)).size, LAUNCH_RULES.length);
  });

  it('refuses a missing experiment', () => {
    assert.deepEqual(messages(null), ['no ExperimentModel was sent']);
  });

  it('reads 0 as "not given" for nodeCount, numberOfThreads and totalPhysicalMemory, as Airavata sends them', () => {
    const e = exampleExperiment();
    Object.assign(sched(e), { nodeCount: 0, numberOfThreads: 0, totalPhysicalMemory: 0 });
    assert.deepEqual(messages(e), []);
  });

  it('accepts nodeCount equal to the ranks and a memory of exactly 1 MB per rank', () => {
    const e = exampleExperiment();
    Object.assign(sched(e), { totalCPUCount: 8, numberOfThreads: 2, nodeCount: 4, totalPhysicalMemory: 4 });
    assert.deepEqual(messages(e), []);
  });

  it('checks the schedule of a ProcessModel the client sent, in preference to the experiment\'s', () => {
    const e = exampleExperiment();
    e.processes = [new ProcessModel({ processId: 'P1', experimentId: e.experimentId as string,
      processResourceSchedule: new ComputationalResourceSchedulingModel({ resourceHostId: 'mesos-b', totalCPUCount: 2, queueName: 'nope', wallTimeLimit: 5 }) })];
    assert.deepEqual(messages(e), ['queueName "nope" is not served here (queues: normal, debug)']);
  });

  it('types input values by their DataType', () => {
    const cases: Array<[DataType, string, boolean]> = [
      [DataType.INTEGER, '42', true], [DataType.INTEGER, '-7', true], [DataType.INTEGER, '4.2', false], [DataType.INTEGER, '99999999999999999999', false],
      [DataType.FLOAT, '1e-3', true], [DataType.FLOAT, 'NaN', false], [DataType.FLOAT, ' ', false],
      [DataType.URI, 'scp://host/path', true], [DataType.URI, '/abs/path', true], [DataType.URI, 'relative/path', false],
      [DataType.URI_COLLECTION, 'file:///a,/b, http://c/d', true], [DataType.URI_COLLECTION, 'file:///a,,', false],
      [DataType.STRING, 'anything at all', true],
    ];
    for (const [type, value, ok] of cases) {
      const e = exampleExperiment();
      e.experimentInputs = [new InputDataObjectType({ name: 'x', type, value })];
      assert.equal(messages(e).length === 0, ok, `${DataType[type]} ${JSON.stringify(value)}`);
    }
  });

  it('treats an input without a type as a STRING and an empty optional input as fine', () => {
    const e = exampleExperiment();
    e.experimentInputs = [new InputDataObjectType({ name: 'a', value: '3 apples' }), new InputDataObjectType({ name: 'b', type: DataType.INTEGER, value: '' })];
    assert.deepEqual(messages(e), []);
  });

  it('survives a struct whose fields are all null, reporting instead of throwing', () => {
    const e = new ExperimentModel();
    const found = messages(e);
    assert.ok(found.includes('gatewayId is missing'));
    assert.ok(found.includes('userConfigurationData is missing'));
  });
});
