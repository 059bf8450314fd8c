import assert from 'node:assert/strict';
import { gangPaths, parseDaemonExit, parseDaemonRequest, parseMemberRecord, parseRankExit, RecordError, rendezvousPath } from '@msched/mpi';

describe('mpi: rendezvous layout and records', () => {
  it('puts each attempt of a job under its own path', () => {
    assert.equal(rendezvousPath('/msched', 'job-1', 3), '/msched/rendezvous/job-1/3');
    assert.equal(rendezvousPath('/', 'j', 1), '/rendezvous/j/1');
    const p = gangPaths('/r/j/1');
    assert.deepEqual([p.member(2), p.daemons(1), p.exit(7), p.result], ['/r/j/1/members/2', '/r/j/1/daemons/1', '/r/j/1/exits/7', '/r/j/1/result']);
    assert.throws(() => rendezvousPath('msched', 'j', 1), /absolute/);
    assert.throws(() => rendezvousPath('/m', '..', 1), /znode name/);
    assert.throws(() => rendezvousPath('/m', 'j', 0), /positive/);
  });

  it('parses well-formed records', () => {
    assert.deepEqual(parseMemberRecord('{"index":1,"hostname":"a","agentId":"x","taskId":"t","slots":2,"port":31000,"pid":5}'),
      { index: 1, hostname: 'a', agentId: 'x', taskId: 't', slots: 2, port: 31000, pid: 5 });
    assert.deepEqual(parseDaemonRequest('{"argv":["orted","-mca"],"host":"a"}'), { argv: ['orted', '-mca'], host: 'a' });
    assert.deepEqual(parseDaemonExit('{"code":null,"signal":"SIGTERM"}'), { code: null, signal: 'SIGTERM', error: undefined });
    assert.equal(parseRankExit('{"rank":2,"code":3,"signal":null,"hostname":"b","atMs":1}').code, 3);
  });

  it('rejects malformed records instead of acting on them', () => {
    for (const [parse, text] of [
      [parseMemberRecord, '{"index":1,"hostname":"","agentId":"x","taskId":"t","slots":2,"pid":5}'],
      [parseMemberRecord, '{"index":1,"hostname":"a","agentId":"x","taskId":"t","slots":0,"pid":5}'],
      [parseDaemonRequest, '{"argv":"orted","host":"a"}'],
      [parseDaemonRequest, '{"argv":[],"host":"a"}'],
      [parseDaemonExit, '{"code":"1","signal":null}'],
      [parseRankExit, '{"rank":-1,"code":3,"signal":null,"hostname":"b","atMs":1}'],
      [parseRankExit, 'not json'],
    ] as const) {
      assert.throws(() => (parse as (t: string) => unknown)(text), RecordError, text);
    }
  });
});
