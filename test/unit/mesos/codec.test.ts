import assert from 'node:assert/strict';
import { decodeEvent, isTerminalTaskState, MesosProtocolError, needsAcknowledgement, TASK_STATE_NUMBERS, type TaskState } from '@msched/mesos';
import { EVENT_RECORDS } from './fixtures/wire';

function protocolError(text: string): string {
  try {
    decodeEvent(text);
  } catch (e) {
    assert.ok(e instanceof MesosProtocolError, `expected MesosProtocolError, got ${e}`);
    return e.message;
  }
  return assert.fail('accepted');
}

describe('mesos: JSON event codec', () => {
  const events = EVENT_RECORDS.map((r) => decodeEvent(Buffer.from(r)));

  it('decodes every recorded event with its payload under the type\'s lower-case name', () => {
    assert.deepEqual(events.map((e) => e.type), ['SUBSCRIBED', 'HEARTBEAT', 'OFFERS', 'RESCIND', 'UPDATE', 'UPDATE', 'FAILURE', 'ERROR']);
    const [sub, , offers, rescind, running, failed, failure, error] = events;
    assert.ok(sub.type === 'SUBSCRIBED');
    assert.deepEqual([sub.subscribed.framework_id.value, sub.subscribed.heartbeat_interval_seconds, sub.subscribed.master_info?.address?.ip], ['F-0001', 15, '192.168.33.10']);
    assert.ok(offers.type === 'OFFERS');
    const [o] = offers.offers.offers;
    assert.deepEqual([o.id.value, o.agent_id.value, o.hostname, o.allocation_info?.role], ['O-12', 'S1', 'agent1', 'mpi']);
    assert.deepEqual(o.resources.map((r) => r.name), ['cpus', 'mem', 'ports']);
    assert.deepEqual(o.resources[2].ranges?.range, [{ begin: 31000, end: 32000 }]);
    assert.ok(rescind.type === 'RESCIND' && rescind.rescind.offer_id.value === 'O-12');
    assert.ok(running.type === 'UPDATE');
    assert.deepEqual([running.update.status.state, running.update.status.uuid, running.update.status.timestamp], ['TASK_RUNNING', 'hTaLQ0b5Q1OZuab7QclTKQ==', 1470820172.07]);
    assert.ok(failed.type === 'UPDATE');
    assert.deepEqual([failed.update.status.message, failed.update.status.reason, failed.update.status.data], ['Tâche échouée: exit 3 ✗', 'REASON_COMMAND_EXECUTOR_FAILED', 'aGVsbG8=']);
    assert.ok(failure.type === 'FAILURE' && failure.failure.status === 256 && failure.failure.executor_id?.value === 'e1');
    assert.ok(error.type === 'ERROR' && error.error.message === 'Framework failed over');
  });

  it('refuses the docs\' bare OFFERS array: real masters nest the list as offers.offers', () => {
    assert.equal(protocolError('{"type":"OFFERS","offers":[{"id":{"value":"O-1"}}]}'), 'OFFERS event: offers is not an object');
  });

  it('names the missing or wrong field', () => {
    assert.equal(protocolError('{"type":"OFFERS","offers":{"offers":[{"id":{"value":"O-1"},"hostname":"h","resources":[]}]}}'), 'OFFERS event: offers.offers[0].agent_id is missing');
    assert.equal(protocolError('{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_EXPLODED"}}}'), 'UPDATE event: update.status.state is not a known task state ("TASK_EXPLODED")');
    assert.equal(protocolError('{"type":"ERROR","error":{}}'), 'ERROR event: error.message is missing');
    assert.equal(protocolError('{"type":"SUBSCRIBED","subscribed":{"framework_id":{"value":"F"},"heartbeat_interval_seconds":-1}}'), 'SUBSCRIBED event: subscribed.heartbeat_interval_seconds is not a positive number');
    assert.match(protocolError('{"type":'), /^event is not JSON/);
    assert.match(protocolError('[1]'), /^event is not a JSON object/);
    assert.match(protocolError('{"subscribed":{}}'), /^event has no type/);
  });

  it('passes unknown event types through as UNKNOWN instead of failing', () => {
    assert.deepEqual(decodeEvent('{"type":"SOMETHING_NEW","something_new":{}}'), { type: 'UNKNOWN', wireType: 'SOMETHING_NEW' });
  });

  it('accepts a task state given as its proto number', () => {
    const e = decodeEvent('{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":9}}}');
    assert.ok(e.type === 'UPDATE' && e.update.status.state === 'TASK_DROPPED');
  });

  it('acknowledges exactly the updates that carry a uuid', () => {
    const [, , , , running] = events;
    assert.ok(running.type === 'UPDATE' && needsAcknowledgement(running.update.status));
    assert.equal(needsAcknowledgement({ task_id: { value: 't' }, state: 'TASK_LOST', agent_id: { value: 'S1' }, source: 'SOURCE_MASTER' }), false);
  });

  it('knows the terminal states of mesos-v1.md (LOST and GONE_BY_OPERATOR are not)', () => {
    const terminal = (Object.keys(TASK_STATE_NUMBERS) as TaskState[]).filter(isTerminalTaskState).sort();
    assert.deepEqual(terminal, ['TASK_DROPPED', 'TASK_ERROR', 'TASK_FAILED', 'TASK_FINISHED', 'TASK_GONE', 'TASK_KILLED']);
  });
});
