import assert from 'node:assert/strict';
import { makeEnvelope } from '@msched/bus';
import { OUTPUTS_EVENT_TYPE, STATUS_EVENT_TYPE, WORKFLOW_STATUS_EVENT_TYPE } from '@msched/model';
import { formatEventLine, isOfExperiment, parseTailArgs, TailArgsError } from '@msched/publishers';

const T = '2026-11-22T10:15:03.120Z';

describe('publishers: msched events tail (pure parts)', () => {
  it('parses its arguments', () => {
    assert.deepEqual(parseTailArgs([]), { experimentId: undefined, json: false, fromBeginning: false, help: false });
    assert.deepEqual(parseTailArgs(['--experiment', 'E1', '--json', '--from-beginning']), { experimentId: 'E1', json: true, fromBeginning: true, help: false });
    assert.equal(parseTailArgs(['--experiment=E2']).experimentId, 'E2');
    assert.throws(() => parseTailArgs(['--experiment']), TailArgsError);
    assert.throws(() => parseTailArgs(['--experiment', '--json']), /--experiment needs an experiment id/);
    assert.throws(() => parseTailArgs(['--follow']), /unknown argument "--follow"/);
  });

  it('prints one readable line per event', () => {
    const base = { gatewayId: 'gw', experimentId: 'E1', processId: 'P1', taskId: 'T1', jobId: 'J1', source: 'dispatcher', time: T };
    assert.equal(formatEventLine(makeEnvelope(STATUS_EVENT_TYPE, { ...base, entity: 'experiment', state: 'EXECUTING', previousState: 'VALIDATED' })),
      `${T}  E1  experiment  E1  EXECUTING ← VALIDATED`);
    assert.equal(formatEventLine(makeEnvelope(STATUS_EVENT_TYPE, { ...base, entity: 'job', state: 'FAILED', previousState: 'ACTIVE', jobName: 'mpi-hello', exitCode: 3, failedRank: 1, reason: 'rank 1 exited with code 3\nsee stderr' })),
      `${T}  E1  job         J1  FAILED ← ACTIVE  name=mpi-hello  exit=3  rank=1  reason: rank 1 exited with code 3 ⏎ see stderr`);
    assert.equal(formatEventLine(makeEnvelope(STATUS_EVENT_TYPE, { ...base, entity: 'task', state: 'CREATED', taskType: 'JOB_SUBMISSION' })),
      `${T}  E1  task        T1  CREATED  type=JOB_SUBMISSION`);
    assert.equal(formatEventLine(makeEnvelope(OUTPUTS_EVENT_TYPE, { ...base, outputs: [{ name: 'stdout', value: 'file:///o', type: 'STDOUT' }] })),
      `${T}  E1  outputs     T1  1 output  stdout=file:///o`);
    const wf = { gatewayId: 'g', experimentId: 'E1', workflowId: 'WF1', source: 'provisioner', time: T };
    assert.equal(formatEventLine(makeEnvelope(WORKFLOW_STATUS_EVENT_TYPE, { ...wf, entity: 'workflow', state: 'EXECUTING', previousState: 'LAUNCHED' })),
      `${T}  E1  workflow    WF1  EXECUTING ← LAUNCHED`);
    assert.equal(formatEventLine(makeEnvelope(WORKFLOW_STATUS_EVENT_TYPE, { ...wf, entity: 'application', nodeId: 'solve', processId: 'E1.solve', state: 'CANCELING', previousState: 'EXECUTING', reason: 'the workflow was terminated' })),
      `${T}  E1  application  solve  CANCELING ← EXECUTING  process=E1.solve  reason: the workflow was terminated`);
    assert.equal(formatEventLine(makeEnvelope('launch.accepted', { experimentId: 'E1' }, { id: 'x', time: new Date(T) })), `${T}  E1  launch.accepted  x  v1`);
  });

  it('filters by experiment on the key or the payload', () => {
    const env = makeEnvelope(STATUS_EVENT_TYPE, { experimentId: 'E1' });
    assert.equal(isOfExperiment(env, 'E1', 'E1'), true);
    assert.equal(isOfExperiment(env, null, 'E1'), true);
    assert.equal(isOfExperiment(env, 'E2', 'E2'), true);
    assert.equal(isOfExperiment(env, 'E2', 'E3'), false);
  });
});
