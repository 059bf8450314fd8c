import assert from 'node:assert/strict';
import {
  acceptCall, acknowledgeCall, declineCall, encodeCall, frameworkInfo, killCall, launchGroupOperation, launchOperation,
  reconcileCall, reviveCall, subscribeCall, suppressCall, teardownCall,
} from '@msched/mesos';
import { CALL_BODIES } from './fixtures/wire';

const body = (c: Parameters<typeof encodeCall>[0]) => encodeCall(c).toString('utf8');

describe('mesos: call builders produce the bytes a real master expects', () => {
  const settings = { user: 'mpi', name: 'metascheduler', roles: ['mpi'], failoverTimeoutSeconds: 604800 };

  it('SUBSCRIBE again with the same FrameworkID in both places, one week failover, our capabilities', () => {
    assert.equal(body(subscribeCall(frameworkInfo({ ...settings, frameworkId: 'F-0001' }))), CALL_BODIES.SUBSCRIBE);
  });

  it('SUBSCRIBE for the first time carries no id at all, and names suppressed roles', () => {
    const c = subscribeCall(frameworkInfo(settings), ['mpi']);
    assert.equal('framework_id' in c, false);
    assert.equal(c.subscribe.framework_info.id, undefined);
    assert.deepEqual(c.subscribe.suppressed_roles, ['mpi']);
  });

  it('DECLINE, REVIVE, SUPPRESS, KILL, ACKNOWLEDGE, RECONCILE, TEARDOWN', () => {
    assert.equal(body(declineCall('F-0001', ['O-12'], 3600)), CALL_BODIES.DECLINE);
    assert.equal(body(reviveCall('F-0001', ['mpi'])), CALL_BODIES.REVIVE);
    assert.equal(body(suppressCall('F-0001', ['mpi'])), CALL_BODIES.SUPPRESS);
    assert.equal(body(killCall('F-0001', 't1', 'S1')), CALL_BODIES.KILL);
    assert.equal(body(acknowledgeCall('F-0001', { agentId: 'S1', taskId: 't1', uuid: 'hTaLQ0b5Q1OZuab7QclTKQ==' })), CALL_BODIES.ACKNOWLEDGE);
    assert.equal(body(reconcileCall('F-0001', [{ taskId: 't1', agentId: 'S1' }])), CALL_BODIES.RECONCILE);
    assert.equal(body(teardownCall('F-0001')), CALL_BODIES.TEARDOWN);
  });

  it('RECONCILE with no tasks asks implicitly; REVIVE without roles revives every role', () => {
    assert.equal(body(reconcileCall('F-0001')), '{"type":"RECONCILE","framework_id":{"value":"F-0001"},"reconcile":{"tasks":[]}}');
    assert.equal(body(reviveCall('F-0001')), '{"type":"REVIVE","framework_id":{"value":"F-0001"}}');
  });

  it('ACCEPT with a LAUNCH whose command carries uris and argv', () => {
    const op = launchOperation([{
      name: 'rank0',
      task_id: { value: 'job7.r0' },
      agent_id: { value: 'S1' },
      resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 4 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 4096 } }],
      command: {
        shell: false, value: '/usr/bin/env', arguments: ['env'],
        environment: { variables: [{ name: 'RANK', value: '0' }] },
        uris: [{ value: 'http://repo/job.tgz', extract: true }],
      },
    }]);
    assert.equal(body(acceptCall('F-0001', ['O-12'], [op], 5)), CALL_BODIES.ACCEPT);
  });

  it('refuses calls Mesos would refuse: empty ACCEPT, ACK without uuid, LAUNCH_GROUP with a command executor', () => {
    assert.throws(() => acceptCall('F', [], []), /at least one offer/);
    assert.throws(() => acknowledgeCall('F', { agentId: 'S1', taskId: 't1', uuid: '' }), /carries no uuid/);
    assert.throws(() => launchGroupOperation({ executor_id: { value: 'e' }, command: { value: 'x' } }, []), /without a command/);
    const group = launchGroupOperation({ executor_id: { value: 'e' }, resources: [] }, []);
    assert.equal(group.launch_group.executor.type, 'DEFAULT');
  });

  it('a framework needs a role', () => {
    assert.throws(() => frameworkInfo({ ...settings, roles: [] }), /at least one role/);
  });
});
