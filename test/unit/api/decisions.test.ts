import assert from 'node:assert/strict';
import {
  AiravataSystemException, AuthorizationException, ExperimentNotFoundException, ExperimentState, InvalidRequestException, JobState, ProcessState,
  int64ToNumber,
} from '@msched/airavata-thrift';
import {
  decideTermination, InternalFault, InvalidRequest, NotFound, toExperimentStatus, toJobModel, toProcessStatus, toThriftError, Unauthorized,
  ValidationFailed,
} from '@msched/api';

describe('termination decision', () => {
  it('cancels a live experiment, ignores a repeat, refuses a finished one', () => {
    for (const s of ['CREATED', 'VALIDATED', 'SCHEDULED', 'LAUNCHED', 'EXECUTING']) assert.deepEqual(decideTermination(s), { kind: 'cancel' });
    for (const s of ['CANCELING', 'CANCELED']) assert.deepEqual(decideTermination(s), { kind: 'already', state: s });
    for (const s of ['COMPLETED', 'FAILED']) assert.deepEqual(decideTermination(s), { kind: 'finished', state: s });
  });
});

describe('errors on the wire', () => {
  it('maps each failure to the Airavata exception the IDL declares', () => {
    assert.ok(toThriftError(new ValidationFailed(['a', 'b']), 'r') instanceof InvalidRequestException);
    assert.equal(toThriftError(new ValidationFailed(['a', 'b']), 'r').message, 'launch refused, 2 problems: (1) a; (2) b');
    assert.ok(toThriftError(new InvalidRequest('x'), 'r') instanceof InvalidRequestException);
    assert.ok(toThriftError(new NotFound('x'), 'r') instanceof ExperimentNotFoundException);
    assert.ok(toThriftError(new Unauthorized('invalid', 'x'), 'r') instanceof AuthorizationException);
  });

  it('hides internal detail and says whether a retry can help', () => {
    const lost = toThriftError(new InternalFault('connection to 10.0.0.5 refused, password xyz', true), 'ref-1') as AiravataSystemException;
    assert.match(lost.message ?? '', /temporarily unable.*retry later \(ref ref-1\)/);
    assert.doesNotMatch(lost.message ?? '', /10\.0\.0\.5|password/);
    const bug = toThriftError(new TypeError('x is undefined'), 'ref-2') as AiravataSystemException;
    assert.equal(bug.message, 'internal error of the meta-scheduler (ref ref-2)');
  });
});

describe('rows to Airavata structs', () => {
  const at = new Date('2026-11-22T12:00:00Z');
  it('sends state names as enum values, with time, reason and status id', () => {
    const s = { entityId: 'P', experimentId: 'E', gatewayId: 'g', userName: 'u', state: 'CANCELLING', reason: 'user', statusId: '42', at };
    const es = toExperimentStatus({ ...s, state: 'EXECUTING' });
    assert.equal(es.state, ExperimentState.EXECUTING);
    assert.equal(int64ToNumber(es.timeOfStateChange), at.getTime());
    assert.equal(es.statusId, '42');
    const ps = toProcessStatus(s);
    assert.equal(ps.state, ProcessState.CANCELLING);
    assert.equal(ps.processId, 'P');
    assert.throws(() => toExperimentStatus({ ...s, state: 'RUNNING' }), /RUNNING is not a ExperimentState/);
  });

  it('builds a JobModel with its status history and results', () => {
    const job = { id: 'J', processId: 'P', experimentId: 'E', taskId: 'T', attempt: 2, state: 'FAILED', gangSpec: { ranks: 4 }, reason: 'rank 3 died',
      exitCode: 137, failedRank: 3, frameworkId: null, workingDir: '/sandbox', stdOut: '/sandbox/stdout', stdErr: null, createdAt: at, updatedAt: at };
    const m = toJobModel(job, [
      { id: '1', entityType: 'job', entityId: 'J', state: 'SUBMITTED', reason: null, source: 'api', at },
      { id: '9', entityType: 'job', entityId: 'J', state: 'FAILED', reason: 'rank 3 died', source: 'dispatcher', at },
    ]);
    assert.equal(m.jobDescription, '{"ranks":4}');
    assert.equal(m.exitCode, 137);
    assert.equal(m.stdErr, null);
    assert.deepEqual(m.jobStatuses?.map((s) => [s.jobState, s.reason ?? null, s.statusId]), [[JobState.SUBMITTED, null, '1'], [JobState.FAILED, 'rank 3 died', '9']]);
  });
});
