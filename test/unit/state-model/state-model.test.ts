import assert from 'node:assert/strict';
import {
  checkTransition, experimentStateForProcess, isTerminal, MESOS_TASK_TO_JOB, MESOS_TERMINAL, stateName, stateValue,
  EXPERIMENT_STATES, JOB_STATES, PROCESS_STATES, TASK_STATES, taskStateForJob,
} from '@msched/state-model';

describe('lifecycle: one state model', () => {
  it('uses Airavata\'s enum values (wire order from the interop facts)', () => {
    assert.equal(stateValue('experiment', 'FAILED'), 8);
    assert.equal(stateValue('process', 'REQUEUED'), 16);
    assert.equal(stateValue('process', 'OUTPUT_DATA_STAGING'), 8);
    assert.equal(stateValue('job', 'NON_CRITICAL_FAIL'), 8);
    assert.equal(stateValue('task', 'CANCELED'), 4);
    assert.equal(stateName('job', 2), 'ACTIVE');
    assert.throws(() => stateValue('job', 'RUNNING'), /RUNNING is not an Airavata job state/);
    assert.throws(() => stateName('task', 9), /9 is not an Airavata task state value/);
  });

  it('never goes back from a terminal state', () => {
    for (const [entity, states] of [['experiment', EXPERIMENT_STATES], ['process', PROCESS_STATES], ['task', TASK_STATES], ['job', JOB_STATES]] as const) {
      for (const from of states.filter((s) => isTerminal(entity, s))) {
        for (const to of states.filter((s) => s !== from)) {
          const v = checkTransition(entity, from, to);
          assert.equal(v.kind, 'rejected', `${entity} ${from} → ${to}`);
        }
      }
    }
    assert.deepEqual(checkTransition('job', 'COMPLETE', 'ACTIVE'), { kind: 'rejected', reason: 'job is already COMPLETE (terminal); ACTIVE ignored' });
  });

  it('drops duplicates and refuses unknown or backwards moves with a reason', () => {
    assert.deepEqual(checkTransition('job', 'ACTIVE', 'ACTIVE'), { kind: 'duplicate' });
    assert.deepEqual(checkTransition('job', 'ACTIVE', 'QUEUED'), { kind: 'rejected', reason: 'job cannot go from ACTIVE to QUEUED' });
    assert.deepEqual(checkTransition('process', 'MONITORING', 'INPUT_DATA_STAGING'), { kind: 'rejected', reason: 'process cannot go from MONITORING to INPUT_DATA_STAGING' });
    assert.deepEqual(checkTransition('task', 'CREATED', 'RUNNING'), { kind: 'rejected', reason: 'RUNNING is not a task state' });
  });

  it('starts entities only in their initial states', () => {
    assert.deepEqual(checkTransition('experiment', undefined, 'CREATED'), { kind: 'apply' });
    assert.deepEqual(checkTransition('job', undefined, 'SUBMITTED'), { kind: 'apply' });
    assert.equal(checkTransition('process', undefined, 'EXECUTING').kind, 'rejected');
  });

  it('follows the process pipeline forward, allowing skipped stages', () => {
    const path = ['CREATED', 'VALIDATED', 'STARTED', 'PRE_PROCESSING', 'CONFIGURING_WORKSPACE', 'INPUT_DATA_STAGING', 'EXECUTING', 'QUEUED', 'MONITORING', 'OUTPUT_DATA_STAGING', 'POST_PROCESSING', 'COMPLETED'];
    for (let i = 1; i < path.length; i++) assert.deepEqual(checkTransition('process', path[i - 1], path[i]), { kind: 'apply' }, `${path[i - 1]} → ${path[i]}`);
    assert.deepEqual(checkTransition('process', 'STARTED', 'EXECUTING'), { kind: 'apply' });
  });

  it('maps Mesos task states onto job states, terminal ones onto terminal ones', () => {
    assert.equal(MESOS_TASK_TO_JOB.TASK_RUNNING, 'ACTIVE');
    assert.equal(MESOS_TASK_TO_JOB.TASK_FINISHED, 'COMPLETE');
    assert.equal(MESOS_TASK_TO_JOB.TASK_KILLED, 'CANCELED');
    for (const s of MESOS_TERMINAL) assert.ok(isTerminal('job', MESOS_TASK_TO_JOB[s]), s);
    assert.equal(taskStateForJob('ACTIVE'), 'EXECUTING');
    assert.equal(taskStateForJob('COMPLETE'), 'COMPLETED');
  });

  it('derives the experiment state the way Airavata\'s orchestrator does', () => {
    assert.equal(experimentStateForProcess('STARTED'), 'EXECUTING');
    assert.equal(experimentStateForProcess('QUEUED'), 'SCHEDULED');
    assert.equal(experimentStateForProcess('REQUEUED'), 'SCHEDULED');
    assert.equal(experimentStateForProcess('COMPLETED'), 'COMPLETED');
    assert.equal(experimentStateForProcess('CANCELED'), 'CANCELED');
    assert.equal(experimentStateForProcess('CREATED'), undefined);
  });
});

describe('docs/state-model.md', () => {
  it('shows the same Mesos → job mapping as the code', () => {
    const doc = require('node:fs').readFileSync(require('node:path').join(__dirname, '../../../../docs/state-model.md'), 'utf8') as string;
    for (const [mesos, job] of Object.entries(MESOS_TASK_TO_JOB)) {
      assert.ok(doc.includes(`| ${mesos} | ${job} |`), `docs/state-model.md lacks "| ${mesos} | ${job} |"`);
    }
  });
});
