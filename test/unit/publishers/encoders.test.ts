import assert from 'node:assert/strict';
import {
  DataType, decodeStruct, enumName, enumNames, ExperimentState, ExperimentStatusChangeEvent, int64ToNumber, JobState,
  JobStatusChangeEvent, Message, MessageLevel, MessageType, ProcessState, ProcessStatusChangeEvent, TaskOutputChangeEvent,
  TaskState, TaskStatusChangeEvent,
} from '@msched/airavata-thrift';
import { Envelope, makeEnvelope } from '@msched/bus';
import { EXPERIMENT_STATES, JOB_STATES, PROCESS_STATES, TASK_STATES } from '@msched/state-model';
import { OUTPUTS_EVENT_TYPE, OutputsEvent, STATUS_EVENT_TYPE, StatusEvent } from '@msched/model';
import {
  encodeJobMonitor, encodeMessagingEvent, encodeMonitoringData, EncodeError, messageIdFor, PublishedEvent,
  readPublishedEvent, routingKey,
} from '@msched/publishers';

const T = '2023-11-14T22:13:20.123Z'; // 1700000000123 ms
const ids = { gatewayId: 'gw', experimentId: 'E1', processId: 'P1', taskId: 'T1', jobId: 'J1' };

function status(fields: Partial<StatusEvent> & Pick<StatusEvent, 'entity' | 'state'>, id = 'env-1'): Envelope {
  return makeEnvelope(STATUS_EVENT_TYPE, { source: 'provisioner', time: T, ...ids, ...fields }, { id });
}
function read(env: Envelope): PublishedEvent {
  const pe = readPublishedEvent(env);
  assert.ok(pe);
  return pe;
}
function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+|\/\/[^\n]*/g, ''), 'hex');
}

describe('publishers: encoders (pure)', () => {
  it('state names map to the generated IDL enum values', () => {
    assert.deepEqual(enumNames(ExperimentState), [...EXPERIMENT_STATES]);
    assert.deepEqual(enumNames(ProcessState), [...PROCESS_STATES]);
    assert.deepEqual(enumNames(TaskState), [...TASK_STATES]);
    assert.deepEqual(enumNames(JobState), [...JOB_STATES]);
  });

  it('encodes an experiment status as Airavata does, byte for byte', () => {
    const [m] = encodeMessagingEvent(read(status({ entity: 'experiment', state: 'EXECUTING' })));
    // ExperimentStatusChangeEvent, TBinaryProtocol: field (type, id) then value; 00 ends the struct.
    const event = hex(`
      08 0001 00000004            // 1: i32 state = EXECUTING (4)
      0b 0002 00000002 4531       // 2: string experimentId = "E1"
      0b 0003 00000002 6777       // 3: string gatewayId = "gw"
      00`);
    const message = Buffer.concat([
      hex(`0b 0001 ${event.length.toString(16).padStart(8, '0')}`), event, // 1: binary event
      hex(`
        0b 0002 00000005 656e762d31 // 2: string messageId = "env-1"
        08 0003 00000000            // 3: i32 messageType = EXPERIMENT (0)
        0a 0004 0000018bcfe5687b    // 4: i64 updatedTime = 1700000000123
        08 0005 00000000            // 5: i32 messageLevel = INFO (0)
        00`),
    ]);
    assert.equal(m.value.toString('hex'), message.toString('hex'));
    assert.equal(m.key, 'gw.E1');
    assert.equal(m.id, 'env-1');
    assert.equal(m.experimentId, 'E1');
  });

  it('encodes process, task and job statuses with their identifiers and routing keys', () => {
    const cases = [
      { env: status({ entity: 'process', state: 'OUTPUT_DATA_STAGING' }), type: 'PROCESS', key: 'gw.E1.P1' },
      { env: status({ entity: 'task', state: 'EXECUTING', taskType: 'JOB_SUBMISSION' }), type: 'TASK', key: 'gw.E1.P1.T1' },
      { env: status({ entity: 'job', state: 'ACTIVE', jobName: 'mpi-hello' }), type: 'JOB', key: 'gw.E1.P1.T1.J1' },
    ];
    for (const c of cases) {
      const out = encodeMessagingEvent(read(c.env));
      assert.equal(out.length, 1);
      const [m] = out;
      assert.equal(m.key, c.key);
      assert.equal(m.type, c.type);
      const msg = decodeStruct(Message, m.value);
      assert.equal(msg.messageId, 'env-1');
      assert.equal(enumName(MessageType, msg.messageType), c.type);
      assert.equal(enumName(MessageLevel, msg.messageLevel), 'INFO');
      assert.equal(int64ToNumber(msg.updatedTime), 1700000000123);
      if (c.type === 'PROCESS') {
        const ev = decodeStruct(ProcessStatusChangeEvent, msg.event);
        assert.equal(enumName(ProcessState, ev.state), 'OUTPUT_DATA_STAGING');
        assert.deepEqual({ ...ev.processIdentity }, { processId: 'P1', experimentId: 'E1', gatewayId: 'gw' });
      } else if (c.type === 'TASK') {
        const ev = decodeStruct(TaskStatusChangeEvent, msg.event);
        assert.equal(enumName(TaskState, ev.state), 'EXECUTING');
        assert.deepEqual({ ...ev.taskIdentity }, { taskId: 'T1', processId: 'P1', experimentId: 'E1', gatewayId: 'gw' });
      } else {
        const ev = decodeStruct(JobStatusChangeEvent, msg.event);
        assert.equal(enumName(JobState, ev.state), 'ACTIVE');
        assert.deepEqual({ ...ev.jobIdentity }, { jobId: 'J1', taskId: 'T1', processId: 'P1', experimentId: 'E1', gatewayId: 'gw' });
      }
    }
  });

  it('carries what the Thrift events cannot (state name, failure reason) as headers', () => {
    const [m] = encodeMessagingEvent(read(status({ entity: 'job', state: 'FAILED', reason: 'rank 1 exited with code 3' })));
    assert.deepEqual(m.headers, { messageId: 'env-1', messageType: 'JOB', experimentId: 'E1', state: 'FAILED', reason: 'rank 1 exited with code 3' });
    const ev = decodeStruct(JobStatusChangeEvent, decodeStruct(Message, m.value).event);
    assert.equal(enumName(JobState, ev.state), 'FAILED');
  });

  it('encodes collected outputs as a TaskOutputChangeEvent (PROCESSOUTPUT)', () => {
    const payload: OutputsEvent = {
      ...ids, time: T,
      outputs: [{ name: 'stdout', value: 'file:///out/E1/stdout', type: 'STDOUT' }, { name: 'energy', value: '-1.5', type: 'FLOAT' }],
    };
    const [m] = encodeMessagingEvent(read(makeEnvelope(OUTPUTS_EVENT_TYPE, payload, { id: 'env-o' })));
    assert.equal(m.key, 'gw.E1.P1.T1');
    const msg = decodeStruct(Message, m.value);
    assert.equal(enumName(MessageType, msg.messageType), 'PROCESSOUTPUT');
    const ev = decodeStruct(TaskOutputChangeEvent, msg.event);
    assert.deepEqual({ ...ev.taskIdentity }, { taskId: 'T1', processId: 'P1', experimentId: 'E1', gatewayId: 'gw' });
    assert.deepEqual(ev.output.map((o) => [o.name, o.value, enumName(DataType, o.type)]), [['stdout', 'file:///out/E1/stdout', 'STDOUT'], ['energy', '-1.5', 'FLOAT']]);
  });

  it('gives a redelivered envelope the same message id and the same bytes', () => {
    const env = status({ entity: 'experiment', state: 'COMPLETED' }, 'env-7');
    const again = JSON.parse(JSON.stringify(env)) as Envelope; // as read back from Kafka a second time
    const [a] = encodeMessagingEvent(read(env));
    const [b] = encodeMessagingEvent(read(again));
    assert.equal(a.id, 'env-7');
    assert.equal(b.id, 'env-7');
    assert.ok(a.value.equals(b.value));
    assert.equal(messageIdFor('env-7', 0, 1), 'env-7');
    assert.equal(messageIdFor('env-7', 1, 2), 'env-7#1');
  });

  it('builds Airavata routing keys by depth', () => {
    assert.equal(routingKey('EXPERIMENT', ids), 'gw.E1');
    assert.equal(routingKey('PROCESS', ids), 'gw.E1.P1');
    assert.equal(routingKey('TASK', ids), 'gw.E1.P1.T1');
    assert.equal(routingKey('PROCESSOUTPUT', ids), 'gw.E1.P1.T1');
    assert.equal(routingKey('JOB', ids), 'gw.E1.P1.T1.J1');
    assert.throws(() => routingKey('JOB', { gatewayId: 'gw', experimentId: 'E1' }), /JOB routing key needs processId/);
  });

  it('encodes job statuses for the realtime job monitor (helix-airavata-mq JSON)', () => {
    const expected: Array<[string, string]> = [['SUBMITTED', 'SUBMITTED'], ['ACTIVE', 'RUNNING'], ['COMPLETE', 'COMPLETED'], ['FAILED', 'FAILED'], ['CANCELED', 'CANCELED']];
    for (const [state, monitor] of expected) {
      const [m] = encodeJobMonitor(read(status({ entity: 'job', state, jobName: 'mpi-hello' })));
      assert.equal(m.value.toString(), `{"jobName":"mpi-hello","status":"${monitor}","task":"T1"}`);
      assert.equal(m.key, 'J1');
      assert.equal(m.id, 'env-1');
    }
    const [noName] = encodeJobMonitor(read(status({ entity: 'job', state: 'QUEUED' })));
    assert.equal(noName.value.toString(), '{"jobName":"J1","status":"QUEUED","task":"T1"}');
    assert.deepEqual(encodeJobMonitor(read(status({ entity: 'process', state: 'STARTED' }))), []);
  });

  it('encodes job statuses for job monitoring (monitoring-data CSV, key = jobId)', () => {
    const [m] = encodeMonitoringData(read(status({ entity: 'job', state: 'COMPLETE', jobName: 'mpi-hello' })), 'msched');
    assert.equal(m.value.toString(), 'J1,mpi-hello,COMPLETE,msched');
    assert.equal(m.key, 'J1');
    const [odd] = encodeMonitoringData(read(status({ entity: 'job', state: 'ACTIVE', jobName: 'a,b\nc' })), 'msched');
    assert.equal(odd.value.toString(), 'J1,a_b_c,ACTIVE,msched');
    assert.throws(() => encodeMonitoringData(read(status({ entity: 'job', state: 'ACTIVE', jobId: 'J,1' })), 'msched'), EncodeError);
    assert.deepEqual(encodeMonitoringData(read(status({ entity: 'task', state: 'COMPLETED' })), 'msched'), []);
  });
});

describe('publishers: reading events from envelopes', () => {
  it('ignores envelope types that are not status', () => {
    assert.equal(readPublishedEvent(makeEnvelope('launch.accepted', { experimentId: 'E1' })), undefined);
  });

  it('refuses malformed status events with the reason', () => {
    const bad: Array<[Envelope, RegExp]> = [
      [status({ entity: 'job', state: 'RUNNING' }), /"RUNNING" is not an Airavata job state/],
      [status({ entity: 'process', state: 'STARTED', processId: '' }), /process status event has no processId/],
      [status({ entity: 'job', state: 'ACTIVE', jobId: undefined }), /job status event has no jobId/],
      [status({ entity: 'experiment', state: 'CREATED', time: 'yesterday' }), /time "yesterday" is not an ISO 8601 date/],
      [makeEnvelope(STATUS_EVENT_TYPE, { entity: 'gang', state: 'X' }), /entity "gang" is not one of/],
      [makeEnvelope(STATUS_EVENT_TYPE, { entity: 'experiment', state: 'CREATED', ...ids, time: T }, { version: 2 }), /version 2 is newer than this publisher understands \(1\)/],
      [makeEnvelope(OUTPUTS_EVENT_TYPE, { ...ids, time: T, outputs: [{ value: 'x' }] }), /outputs\[0\] has no name/],
    ];
    for (const [env, why] of bad) assert.throws(() => readPublishedEvent(env), (e: unknown) => e instanceof EncodeError && why.test(e.message));
    const badType = read(makeEnvelope(OUTPUTS_EVENT_TYPE, { ...ids, time: T, outputs: [{ name: 'o', value: 'x', type: 'BLOB' }] }));
    assert.throws(() => encodeMessagingEvent(badType), /"BLOB" is not an Airavata DataType/);
  });
});
