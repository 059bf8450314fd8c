import assert from 'node:assert/strict';
import { applicationStateForProcess, ApplicationState, decideWorkflow, drawWorkflow, FailurePolicy, levels } from '@msched/workflow';
import { diamond } from './fixtures';

function decide(states: Record<string, ApplicationState>, policy: FailurePolicy = 'FAIL_FAST', terminating = false) {
  return decideWorkflow({ spec: diamond(), applications: new Map(Object.entries(states)), policy, terminating });
}

describe('workflow decisions (pure)', () => {
  it('starts only the applications fed by the starter', () => {
    assert.deepEqual(decide({}), { launch: ['a'], cancel: [], skip: [] });
  });

  it('starts both middle steps of the diamond together once the first completes', () => {
    assert.deepEqual(decide({ a: 'COMPLETED' }).launch, ['b', 'c']);
  });

  it('waits for every predecessor: d needs b and c', () => {
    assert.deepEqual(decide({ a: 'COMPLETED', b: 'COMPLETED', c: 'EXECUTING' }).launch, []);
    assert.deepEqual(decide({ a: 'COMPLETED', b: 'COMPLETED', c: 'COMPLETED' }).launch, ['d']);
  });

  it('never starts an application twice: a decision applied leaves nothing to start', () => {
    assert.deepEqual(decide({ a: 'LAUNCHED' }), { launch: [], cancel: [], skip: [] });
    assert.deepEqual(decide({ a: 'COMPLETED', b: 'LAUNCHED', c: 'SCHEDULED' }).launch, []);
  });

  it('completes when every application completed', () => {
    assert.equal(decide({ a: 'COMPLETED', b: 'COMPLETED', c: 'COMPLETED', d: 'COMPLETED' }).finished, 'COMPLETED');
  });

  it('fail fast: a failure cancels the running branch and skips what never started', () => {
    const d = decide({ a: 'COMPLETED', b: 'FAILED', c: 'EXECUTING' }, 'FAIL_FAST');
    assert.deepEqual(d, { launch: [], cancel: ['c'], skip: ['d'] });
    assert.equal(decide({ a: 'COMPLETED', b: 'FAILED', c: 'CANCELED', d: 'CANCELED' }).finished, 'FAILED');
  });

  it('finish independent branches: the sibling runs on, only the failed branch\'s descendants are skipped', () => {
    const d = decide({ a: 'COMPLETED', b: 'FAILED', c: 'EXECUTING' }, 'FINISH_INDEPENDENT');
    assert.deepEqual(d, { launch: [], cancel: [], skip: ['d'] });
    assert.equal(decide({ a: 'COMPLETED', b: 'FAILED', c: 'COMPLETED', d: 'CANCELED' }, 'FINISH_INDEPENDENT').finished, 'FAILED');
  });

  it('terminate cancels every running application and ends CANCELED', () => {
    assert.deepEqual(decide({ a: 'COMPLETED', b: 'EXECUTING', c: 'SCHEDULED' }, 'FINISH_INDEPENDENT', true), { launch: [], cancel: ['b', 'c'], skip: ['d'] });
    assert.equal(decide({ a: 'COMPLETED', b: 'CANCELED', c: 'CANCELED', d: 'CANCELED' }, 'FAIL_FAST', true).finished, 'CANCELED');
  });

  it('does not cancel twice what is already being canceled', () => {
    assert.deepEqual(decide({ a: 'CANCELING' }, 'FAIL_FAST', true).cancel, []);
  });

  it('levels put the middle steps side by side', () => {
    assert.deepEqual(Object.fromEntries(levels(diamond())), { a: 0, b: 1, c: 1, d: 2 });
  });

  it('draws each node with its state and what it waits for', () => {
    const text = drawWorkflow({
      workflowId: 'WF_1', state: 'EXECUTING', policy: 'FAIL_FAST', spec: diamond(),
      states: new Map([['start', 'COMPLETED'], ['a', 'COMPLETED'], ['b', 'EXECUTING'], ['c', 'EXECUTING']]),
    }).join('\n');
    assert.match(text, /workflow WF_1 {2}EXECUTING/);
    assert.match(text, /level 1 {2}\(2 in parallel\)\n {4}\[>\] b {2}EXECUTING {2}<- a\n {4}\[>\] c {2}EXECUTING {2}<- a/);
    assert.match(text, /\[ \] d {2}CREATED {2}<- b, c/);
    assert.match(text, /\[x\] start {2}FLOW_STARTER COMPLETED/);
    assert.match(text, /d\.out -> end\.result/);
  });

  it('maps each process state to the application state Airavata sees', () => {
    const seen = Object.fromEntries(['CREATED', 'STARTED', 'INPUT_DATA_STAGING', 'EXECUTING', 'QUEUED', 'MONITORING', 'REQUEUED', 'POST_PROCESSING', 'CANCELLING', 'CANCELED', 'COMPLETED', 'FAILED']
      .map((p) => [p, applicationStateForProcess(p) ?? '-']));
    assert.deepEqual(seen, {
      CREATED: '-', STARTED: 'LAUNCHED', INPUT_DATA_STAGING: 'LAUNCHED', EXECUTING: 'EXECUTING', QUEUED: 'SCHEDULED', MONITORING: 'EXECUTING', REQUEUED: 'SCHEDULED',
      POST_PROCESSING: 'EXECUTING', CANCELLING: 'CANCELING', CANCELED: 'CANCELED', COMPLETED: 'COMPLETED', FAILED: 'FAILED',
    });
  });
});
