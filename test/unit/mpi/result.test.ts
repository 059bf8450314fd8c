import assert from 'node:assert/strict';
import { blamesOnlyTeardown, decideResult, decideSerialResult, findResultLine, gangFailure, RESULT_MARKER, type RankExit } from '@msched/mpi';

const ctx = { ranks: 4, jobId: 'j', attempt: 1, durationMs: 10 };
const exit = (rank: number, code: number | null, signal: string | null, atMs: number): RankExit => ({ rank, code, signal, hostname: `agent${rank < 2 ? 1 : 2}`, atMs });

describe('mpi: the job verdict', () => {
  it('ZooKeeper unreachable past the retry bound is the infrastructure\'s failure: 75, retriable', () => {
    const r = gangFailure(ctx, 'zookeeper_unavailable', 'ZooKeeper unreachable for 180000 ms while trying to collect the ranks\' exit records');
    assert.deepEqual([r.state, r.reason, r.exitCode, r.retriable], ['FAILED', 'zookeeper_unavailable', 75, true]);
  });

  it('completes when MPI exits 0', () => {
    const r = decideResult({ launcher: { code: 0, signal: null }, rankExits: [], missingMembers: [] }, ctx);
    assert.equal(r.state, 'COMPLETED');
    assert.equal(r.exitCode, 0);
    assert.equal(r.retriable, false);
  });

  it('names the first rank that failed with a code of its own, not the ranks MPI killed afterwards', () => {
    const r = decideResult({
      launcher: { code: 1, signal: null },
      rankExits: [exit(0, null, 'SIGTERM', 5), exit(2, 3, null, 10), exit(3, null, 'SIGKILL', 11), exit(1, 4, null, 20)],
      missingMembers: [],
    }, ctx);
    assert.deepEqual([r.state, r.reason, r.failedRank, r.failedHost, r.exitCode], ['FAILED', 'rank_failed', 2, 'agent2', 3]);
    assert.equal(r.message, 'rank 2 on agent2 exited with code 3');
  });

  it('reports a rank killed by a signal with the shell\'s 128+n code', () => {
    const r = decideResult({ launcher: { code: 137, signal: null }, rankExits: [exit(1, null, 'SIGKILL', 1)], missingMembers: [] }, ctx);
    assert.equal(r.exitCode, 137);
    assert.match(r.message, /rank 1 on agent1 was killed by SIGKILL/);
  });

  it('blames the launcher\'s own decision (kill, wall time, lost member) over the ranks it took down', () => {
    const rankExits = [exit(0, null, 'SIGTERM', 1)];
    assert.equal(decideResult({ launcher: { code: 1, signal: null }, abort: { reason: 'killed', message: 'm' }, rankExits, missingMembers: [] }, ctx).exitCode, 143);
    assert.equal(decideResult({ launcher: { code: 1, signal: null }, abort: { reason: 'walltime', message: 'm' }, rankExits, missingMembers: [] }, ctx).exitCode, 124);
    const lost = decideResult({ launcher: { code: 1, signal: null }, abort: { reason: 'member_lost', message: 'task 1 left' }, rankExits, missingMembers: [] }, ctx);
    assert.deepEqual([lost.reason, lost.exitCode, lost.retriable, lost.message], ['member_lost', 75, true, 'task 1 left']);
  });

  it('blames a lost member, not its ranks killed with it, unless a rank failed with its own code first', () => {
    const killedWithTask = [exit(2, null, 'SIGTERM', 1), exit(3, null, 'SIGTERM', 2)];
    const lost = decideResult({ launcher: { code: 1, signal: null }, abort: { reason: 'rank_failed', message: 'rank 2 ended abnormally' }, rankExits: killedWithTask, missingMembers: ['task 1 (agent2, t1)'] }, ctx);
    assert.deepEqual([lost.reason, lost.exitCode, lost.retriable], ['member_lost', 75, true]);
    const own = decideResult({ launcher: { code: 1, signal: null }, rankExits: [...killedWithTask, exit(1, 4, null, 3)], missingMembers: ['task 1 (agent2, t1)'] }, ctx);
    assert.deepEqual([own.reason, own.failedRank, own.exitCode], ['rank_failed', 1, 4]);
  });

  it('blames a member found missing after MPI failed, but not after MPI succeeded', () => {
    assert.equal(decideResult({ launcher: { code: 1, signal: null }, rankExits: [], missingMembers: ['task 1 (b, t1)'] }, ctx).reason, 'member_lost');
    assert.equal(decideResult({ launcher: { code: 0, signal: null }, rankExits: [], missingMembers: ['task 1 (b, t1)'] }, ctx).state, 'COMPLETED');
  });

  it('blames the rank that called MPI_Abort over the ranks MPI killed for it', () => {
    const r = decideResult({ launcher: { code: 5, signal: null }, rankExits: [exit(0, null, 'SIGKILL', 1)], missingMembers: [], mpiAbort: { rank: 2, code: 5, host: 'agent2' } }, ctx);
    assert.deepEqual([r.reason, r.failedRank, r.failedHost, r.exitCode, r.message], ['rank_failed', 2, 'agent2', 5, 'rank 2 on agent2 called MPI_Abort with error code 5']);
    const zero = decideResult({ launcher: { code: 1, signal: null }, rankExits: [], missingMembers: [], mpiAbort: { code: 0 } }, ctx);
    assert.deepEqual([zero.state, zero.exitCode, zero.message], ['FAILED', 1, 'a rank called MPI_Abort with error code 0']);
  });

  it('says the launcher failed when no rank did, and never fails with exit code 0', () => {
    const r = decideResult({ launcher: { code: 255, signal: null }, rankExits: [], missingMembers: [] }, ctx);
    assert.deepEqual([r.reason, r.exitCode], ['launcher_failed', 255]);
    assert.equal(decideResult({ startError: 'cannot execute mpirun: ENOENT', rankExits: [], missingMembers: [] }, ctx).exitCode, 69);
  });

  it('treats the serial program as rank 0', () => {
    const ok = decideSerialResult({ launcher: { code: 0, signal: null }, hostname: 'a' }, { ...ctx, ranks: 1 });
    assert.equal(ok.state, 'COMPLETED');
    const bad = decideSerialResult({ launcher: { code: 9, signal: null }, hostname: 'a' }, { ...ctx, ranks: 1 });
    assert.deepEqual([bad.reason, bad.failedRank, bad.exitCode], ['rank_failed', 0, 9]);
  });

  it('finds the last marked result line in a task\'s stderr', () => {
    const r = decideResult({ launcher: { code: 0, signal: null }, rankExits: [], missingMembers: [] }, ctx);
    const stderr = `noise\n${RESULT_MARKER}{"state":"FAILED"}\nmore noise\n${RESULT_MARKER}${JSON.stringify(r)}\n`;
    assert.deepEqual(findResultLine(stderr), r);
    assert.equal(findResultLine('nothing here'), undefined);
  });

  describe('blamesOnlyTeardown: a verdict that waits for the members\' presence to settle', () => {
    const torn = { launcher: { code: 1, signal: null }, rankExits: [exit(0, null, 'SIGTERM', 5), exit(1, null, 'SIGTERM', 5)], missingMembers: [] };

    it('ranks ended by SIGTERM/SIGKILL from outside, or mpirun failing with no rank\'s word: yes', () => {
      assert.equal(blamesOnlyTeardown(torn), true);
      assert.equal(blamesOnlyTeardown({ ...torn, rankExits: [exit(0, null, 'SIGKILL', 5)] }), true);
      assert.equal(blamesOnlyTeardown({ ...torn, rankExits: [] }), true);
      assert.equal(blamesOnlyTeardown({ ...torn, abort: { reason: 'rank_failed', message: 'rank 0 ended' } }), true);
      // Before the wait, the same outcome is the application's failure, and not retried.
      assert.deepEqual([decideResult(torn, ctx).reason, decideResult(torn, ctx).retriable], ['rank_failed', false]);
      // Once a member is seen gone, it is the gang that broke: retried.
      const settled = decideResult({ ...torn, missingMembers: ['task 1 (agent2)'] }, ctx);
      assert.deepEqual([settled.reason, settled.retriable], ['member_lost', true]);
    });

    it('a rank\'s own code, its own crash signal, MPI_Abort, a clean exit, a known loss or the launcher\'s decision: no', () => {
      assert.equal(blamesOnlyTeardown({ ...torn, rankExits: [...torn.rankExits, exit(2, 3, null, 4)] }), false);
      assert.equal(blamesOnlyTeardown({ ...torn, rankExits: [exit(2, null, 'SIGSEGV', 4), exit(0, null, 'SIGTERM', 5)] }), false);
      assert.equal(blamesOnlyTeardown({ ...torn, mpiAbort: { rank: 1, code: 5 } }), false);
      assert.equal(blamesOnlyTeardown({ ...torn, launcher: { code: 0, signal: null } }), false);
      assert.equal(blamesOnlyTeardown({ ...torn, missingMembers: ['task 1 (agent2)'] }), false);
      assert.equal(blamesOnlyTeardown({ ...torn, abort: { reason: 'walltime', message: 'm' } }), false);
      assert.equal(blamesOnlyTeardown({ ...torn, abort: { reason: 'killed', message: 'm' } }), false);
      assert.equal(blamesOnlyTeardown({ ...torn, launcher: undefined, startError: 'no such file' }), false);
    });
  });
});
