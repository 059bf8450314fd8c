import assert from 'node:assert/strict';
import { parseSchedulerCall } from '@msched/mesos-local/dist/internals';

const fw = { user: 'root', name: 'test' };
const parse = (body: unknown) => parseSchedulerCall(typeof body === 'string' ? body : JSON.stringify(body));

describe('mesos-local scheduler call validation', () => {
  it('accepts a first SUBSCRIBE without ids and a re-SUBSCRIBE with equal ids', () => {
    const first = parse({ type: 'SUBSCRIBE', subscribe: { framework_info: fw } });
    assert.ok(first.ok && first.call.type === 'SUBSCRIBE' && first.call.frameworkId === undefined);
    const again = parse({ type: 'SUBSCRIBE', framework_id: { value: 'F1' }, subscribe: { framework_info: { ...fw, id: { value: 'F1' } }, suppressed_roles: ['mpi'] } });
    assert.ok(again.ok && again.call.type === 'SUBSCRIBE');
    if (again.ok && again.call.type === 'SUBSCRIBE') assert.deepEqual(again.call.subscribe.suppressedRoles, ['mpi']);
  });

  it('answers 400 with the real master wording for each kind of bad body', () => {
    const cases: Array<[unknown, RegExp]> = [
      ['{not json', /^Failed to parse body into JSON/],
      ['[1,2]', /^Failed to convert JSON into Call protobuf: Expecting a JSON object/],
      [{ type: 'SUBSCRIBE', subscribe: { framework_info: { name: 'x' } } }, /Missing required fields: subscribe\.framework_info\.user/],
      [{ type: 'SUBSCRIBE', framework_id: { value: 'A' }, subscribe: { framework_info: { ...fw, id: { value: 'B' } } } }, /'framework_id' differs from 'subscribe\.framework_info\.id'/],
      [{ type: 'SUBSCRIBE', subscribe: { framework_info: { ...fw, id: { value: 'B' } } } }, /differs/],
      [{ type: 'SUBSCRIBE' }, /Expecting 'subscribe' to be present/],
      [{ type: 'DECLINE', decline: { offer_ids: [] } }, /Expecting 'framework_id' to be present/],
      [{ type: 'ACCEPT', framework_id: { value: 'F' } }, /Expecting 'accept' to be present/],
      [{ type: 'KILL', framework_id: { value: 'F' }, kill: {} }, /Missing required fields: kill\.task_id/],
      [{ type: 'ACKNOWLEDGE', framework_id: { value: 'F' }, acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: 'c2hvcnQ=' } }, /Not a valid UUID/],
      [{ type: 'DECLINE', framework_id: { value: 'F' }, decline: { offer_ids: [{ value: 1 }] } }, /decline\.offer_ids\[0\]\.value/],
      [{ type: 'ACCEPT', framework_id: { value: 'F' }, accept: { offer_ids: [{ value: 'o' }], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ task_id: { value: 't' }, agent_id: { value: 'a' } }] } }] } }, /accept\.operations\[0\]\.launch\.task_infos\[0\]\.name/],
      [{ type: 'ACCEPT', framework_id: { value: 'F' }, accept: { offer_ids: [{ value: 'o' }], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 'n', task_id: { value: 't' }, agent_id: { value: 'a' }, resources: [{ name: 'cpus', type: 'BOGUS' }] }] } }] } }, /Failed to find enum for 'BOGUS'/],
    ];
    for (const [body, message] of cases) {
      const r = parse(body);
      assert.equal(r.ok, false, JSON.stringify(body));
      if (!r.ok) {
        assert.equal(r.status, 400);
        assert.match(r.message, message);
      }
    }
  });

  it('parses every call it implements into a typed call', () => {
    const F = { value: 'F' };
    const uuid = Buffer.alloc(16, 7).toString('base64');
    const r = (body: unknown) => {
      const p = parse(body);
      assert.ok(p.ok, JSON.stringify(body));
      return p.ok ? p.call : undefined;
    };
    assert.deepEqual(r({ type: 'DECLINE', framework_id: F, decline: { offer_ids: [{ value: 'o1' }], filters: { refuse_seconds: 30 } } }), { type: 'DECLINE', frameworkId: 'F', offerIds: ['o1'], filters: { refuse_seconds: 30 } });
    assert.deepEqual(r({ type: 'REVIVE', framework_id: F, revive: { roles: ['mpi'] } }), { type: 'REVIVE', frameworkId: 'F', roles: ['mpi'] });
    assert.deepEqual(r({ type: 'SUPPRESS', framework_id: F }), { type: 'SUPPRESS', frameworkId: 'F', roles: [] });
    assert.deepEqual(r({ type: 'ACKNOWLEDGE', framework_id: F, acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid } }), { type: 'ACKNOWLEDGE', frameworkId: 'F', agentId: 'a', taskId: 't', uuid });
    assert.deepEqual(r({ type: 'RECONCILE', framework_id: F, reconcile: { tasks: [{ task_id: { value: 't' } }] } }), { type: 'RECONCILE', frameworkId: 'F', tasks: [{ taskId: 't', agentId: undefined }] });
    assert.deepEqual(r({ type: 'KILL', framework_id: F, kill: { task_id: { value: 't' }, agent_id: { value: 'a' } } }), { type: 'KILL', frameworkId: 'F', taskId: 't', agentId: 'a', killPolicy: undefined });
    assert.deepEqual(r({ type: 'TEARDOWN', framework_id: F }), { type: 'TEARDOWN', frameworkId: 'F' });
    // Unknown call names are dropped to UNKNOWN (501 later), known-but-unimplemented ones say so.
    assert.deepEqual(r({ type: 'FROBNICATE', framework_id: F }), { type: 'UNKNOWN', frameworkId: 'F' });
    assert.deepEqual(r({ type: 'ACCEPT_INVERSE_OFFERS', framework_id: F }), { type: 'UNSUPPORTED', frameworkId: 'F', name: 'ACCEPT_INVERSE_OFFERS' });
  });
});
