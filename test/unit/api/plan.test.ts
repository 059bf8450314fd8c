import assert from 'node:assert/strict';
import { exampleExperiment, ExperimentModel, ProcessModel, DEFAULT_ID } from '@msched/airavata-thrift';
import { IdSource, LaunchPolicy, payloadHash, planLaunch } from '@msched/api';
import type { LaunchAccepted } from '@msched/model';

const policy: LaunchPolicy = {
  computeResources: new Set(['mesos-local']), queueRoles: { normal: 'mpi' },
  maxCpuCount: 64, maxMemoryMb: 65536, maxWallTimeMinutes: 600, defaultMemoryMbPerRank: 512,
};
const ids: IdSource = { processId: () => 'P-1', jobId: () => 'J-1', taskId: () => 'T-1' };
const now = new Date('2026-11-22T12:00:00.000Z');

describe('planLaunch', () => {
  it('plans the rows, first statuses, the launch message and one status event per status', () => {
    const e = exampleExperiment({ experimentId: 'Exp_1' });
    const p = planLaunch(e, policy, ids, now);
    assert.deepEqual(p.ids, { experimentId: 'Exp_1', processId: 'P-1', jobId: 'J-1' });
    assert.equal(p.launch.experiment.state, 'LAUNCHED');
    assert.equal(p.launch.experiment.payloadHash, payloadHash(e));
    assert.equal(p.launch.process.computeResourceId, 'mesos-local');
    assert.equal(p.launch.process.applicationInterfaceId, 'mpi-ring');
    assert.equal(p.launch.process.experimentDataDir, '/data/Exp_1');
    assert.deepEqual(p.launch.job, { id: 'J-1', taskId: 'T-1', state: 'SUBMITTED', reason: null });
    assert.deepEqual(p.launch.statuses.map((s) => `${s.entityType}:${s.entityId}:${s.state}`),
      ['experiment:Exp_1:CREATED', 'experiment:Exp_1:LAUNCHED', 'process:P-1:CREATED', 'job:J-1:SUBMITTED']);
    assert.deepEqual(p.launch.outbox.map((m) => `${m.topic}:${m.key}:${m.envelope.type}`),
      ['launch:Exp_1:launch.accepted', ...Array(4).fill('events:Exp_1:status.changed')]);
    const events = p.launch.outbox.slice(1).map((m) => m.envelope.payload as Record<string, unknown>);
    assert.deepEqual(events[1], { entity: 'experiment', state: 'LAUNCHED', previousState: 'CREATED', reason: 'accepted for mesos-local, queue normal (Mesos role mpi)',
      gatewayId: 'test-gateway', experimentId: 'Exp_1', source: 'api', time: '2026-11-22T12:00:00.000Z' });
    assert.deepEqual(events[3], { entity: 'job', state: 'SUBMITTED', reason: 'attempt 1, waiting for provisioning', gatewayId: 'test-gateway',
      experimentId: 'Exp_1', processId: 'P-1', taskId: 'T-1', jobId: 'J-1', jobName: 'J-1', source: 'api', time: '2026-11-22T12:00:00.000Z' });
    const launch = p.launch.outbox[0].envelope.payload as LaunchAccepted;
    assert.equal(launch.role, 'mpi');
    assert.equal(launch.process.creationTime, now.getTime());
    assert.equal(launch.process.userName, 'alice');
    assert.deepEqual(launch.process.processInputs, launch.experiment.experimentInputs);
    assert.equal(new Set(p.launch.outbox.map((m) => m.envelope.id)).size, 5);
  });

  it('hashes equal payloads equally whatever the construction order, and different payloads differently', () => {
    const a = exampleExperiment({ experimentId: 'Exp_h' });
    const b = new ExperimentModel(JSON.parse(JSON.stringify({ ...a, creationTime: undefined })));
    b.creationTime = a.creationTime;
    assert.equal(payloadHash(a), payloadHash(b));
    assert.notEqual(payloadHash(a), payloadHash(exampleExperiment({ experimentId: 'Exp_h', wallTimeLimit: 11 })));
  });

  it('adopts the processId of a ProcessModel the client sent and keeps its fields', () => {
    const e = exampleExperiment({ experimentId: 'Exp_p' });
    e.processes = [new ProcessModel({ processId: 'PROCESS_airavata', experimentId: 'Exp_p', applicationDeploymentId: 'dep-7', taskDag: 'a->b' })];
    const p = planLaunch(e, policy, ids, now);
    assert.equal(p.ids.processId, 'PROCESS_airavata');
    assert.equal(p.launch.process.applicationDeploymentId, 'dep-7');
    assert.equal((p.launch.process.model as { taskDag?: string }).taskDag, 'a->b');
    e.processes = [new ProcessModel({ processId: DEFAULT_ID, experimentId: 'Exp_p' })];
    assert.equal(planLaunch(e, policy, ids, now).ids.processId, 'P-1');
  });
});
