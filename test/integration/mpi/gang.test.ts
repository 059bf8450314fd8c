import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Zk } from '@msched/zk';
import { buildApplicationArgv, readGangResult, RESULT_FILE, uriFileName, type ApplicationInput, type GangResult } from '@msched/mpi';
import { eventually } from '../../helpers/eventually';
import { requireStack } from '../../helpers/stack';
import {
  compileFixture, destroyGang, fixtureDir, leftoversAfter, linesMatching, localClusterConfig, processesOf, processesOfTask, resultOf, startGang, uniqueJobId, waitForLines, type GangRun,
} from './gang-harness';

/**
 * The issue's "done when", proven at the task level: the gang task program runs once per simulated
 * agent (agent1, agent2), against the real ZooKeeper, with real OpenMPI and MPICH programs compiled
 * here. Only Mesos is left out.
 */
describe('MPI gang tasks (integration: real ZooKeeper, OpenMPI, MPICH)', function () {
  const cfg = localClusterConfig();
  const TWO_AGENTS = [{ hostname: 'agent1', slots: 2 }, { hostname: 'agent2', slots: 2 }];
  const FLAVOURS = [
    { flavour: 'openmpi', compiler: 'mpicc.openmpi' },
    { flavour: 'mpich', compiler: 'mpicc.mpich' },
  ] as const;
  let dir = '';
  const bin: Record<string, string> = {};
  let current: GangRun | undefined;

  before(async function () {
    this.timeout(120000);
    await requireStack('zookeeper');
    dir = fixtureDir();
    const builds: Array<Promise<void>> = [];
    for (const { flavour, compiler } of FLAVOURS) {
      for (const src of ['hello', 'fail_rank', 'abort_rank', 'spin', 'args']) {
        builds.push(compileFixture(dir, `${src}.c`, compiler).then((p) => { bin[`${src}:${flavour}`] = p; }));
      }
    }
    builds.push(compileFixture(dir, 'serial.c', 'cc').then((p) => { bin.serial = p; }));
    await Promise.all(builds);
  });

  afterEach(async () => {
    await destroyGang(current, cfg, [dir]);
    current = undefined;
  });

  after(async () => {
    if (!dir) return; // the stack was down: nothing was created
    rmSync(dir, { recursive: true, force: true });
    // Each test removed its job's nodes; drop the then-empty parent this suite created.
    const zk = await Zk.connect(cfg.zookeeper.connect);
    try {
      const parent = `${cfg.zookeeper.root}/rendezvous`;
      if ((await zk.exists(parent)) && (await zk.getChildren(parent)).length === 0) await zk.remove(parent);
    } finally {
      zk.close();
    }
  });

  function gang(o: Omit<Parameters<typeof startGang>[0], 'cfg' | 'jobId'> & { cfg?: typeof cfg }): GangRun {
    current = startGang({ cfg, jobId: uniqueJobId(o.flavour), ...o });
    return current;
  }

  async function zkResult(run: GangRun): Promise<GangResult> {
    const zk = await Zk.connect(cfg.zookeeper.connect);
    try {
      const result = await readGangResult(zk, run.rendezvous);
      assert.ok(result, 'the launcher published no result node');
      return result;
    } finally {
      zk.close();
    }
  }

  function assertNothingLeft(run: GangRun): void {
    const left = processesOf(run, [dir, ...run.tasks.map((t) => t.sandbox)]);
    assert.deepEqual(left, [], `processes of the gang survived:\n${left.map((p) => `${p.pid} ${p.cmdline}`).join('\n')}`);
  }

  /** Positive control for assertNothingLeft: the same scan sees the job while it runs. */
  function assertRanksRunning(run: GangRun, binary: string, ranks: number): void {
    const running = processesOf(run, [dir]).filter((p) => p.cmdline.startsWith(binary));
    assert.equal(running.length, ranks, `expected ${ranks} rank processes of ${binary}, saw:\n${running.map((p) => p.cmdline).join('\n')}`);
  }

  function debug(run: GangRun): string {
    return run.tasks.map((t) => `--- task ${t.index} (${t.hostname}) stdout:\n${t.stdout}\n--- stderr:\n${t.stderr}`).join('\n');
  }

  for (const { flavour } of FLAVOURS) {
    it(`${flavour}: 4 ranks over 2 agents (2+2) run as one job and all output lands in the launcher's stdout`, async () => {
      const run = gang({ flavour, argv: [bin[`hello:${flavour}`]], placement: TWO_AGENTS });
      const codes = await run.all();
      assert.deepEqual(codes.map((c) => c.code), [0, 0], debug(run));
      const lines = linesMatching(run.launcher.stdout, /^hello /).sort();
      assert.deepEqual(lines, [0, 1, 2, 3].map((r) => `hello rank=${r} size=4 agent=${r < 2 ? 'agent1' : 'agent2'} sum=6 job=${run.jobId} ranks_env=4`), debug(run));
      assert.equal(run.tasks[1].stdout, '', 'rank output must reach the job stdout through the launcher, not the worker task');
      const result = resultOf(run.launcher);
      assert.equal(result.state, 'COMPLETED');
      assert.equal(result.exitCode, 0);
      assert.deepEqual(await zkResult(run), result);
      assert.deepEqual(JSON.parse(readFileSync(join(run.launcher.sandbox, RESULT_FILE), 'utf8')), result);
      assert.match(readFileSync(join(run.launcher.sandbox, 'msched-hostfile'), 'utf8'), flavour === 'openmpi' ? /^agent1 slots=2\nagent2 slots=2\n$/ : /^agent1:2\nagent2:2\n$/);
      assertNothingLeft(run);
    });

    it(`${flavour}: rank 2 exiting with code 3 fails the job with that code and rank, and leaves no process`, async () => {
      const run = gang({ flavour, argv: [bin[`fail_rank:${flavour}`]], placement: TWO_AGENTS });
      const codes = await run.all();
      assert.equal(codes[0].code, 3, debug(run));
      const result = resultOf(run.launcher);
      assert.equal(result.state, 'FAILED');
      assert.equal(result.reason, 'rank_failed');
      assert.equal(result.failedRank, 2);
      assert.equal(result.failedHost, 'agent2');
      assert.equal(result.exitCode, 3);
      assert.match(result.message, /rank 2 on agent2 exited with code 3/);
      assert.equal(codes[1].code, 3, 'the worker shares the job\'s fate and code');
      assertNothingLeft(run);
    });

    it(`${flavour}: rank 2 calling MPI_Abort(5) fails the job with code 5, and leaves no process`, async () => {
      const run = gang({ flavour, argv: [bin[`abort_rank:${flavour}`]], placement: TWO_AGENTS });
      const codes = await run.all();
      const result = resultOf(run.launcher);
      assert.deepEqual([result.state, result.exitCode], ['FAILED', 5], debug(run));
      assert.deepEqual(codes.map((c) => c.code), [5, 5]);
      if (flavour === 'openmpi') {
        // mpirun itself reports the aborting rank. MPICH's report is the rank's own stderr line,
        // which Hydra drops now and then while tearing down: naming the rank is best effort there.
        assert.deepEqual([result.reason, result.failedRank, result.failedHost], ['rank_failed', 2, 'agent2']);
        assert.match(result.message, /rank 2 on agent2 called MPI_Abort with error code 5/);
      }
      assertNothingLeft(run);
    });

    it(`${flavour}: killing a worker task mid-run ends the launcher with the reason and leaves no process`, async () => {
      const run = gang({ flavour, argv: [bin[`spin:${flavour}`]], placement: TWO_AGENTS });
      await waitForLines(run.launcher, /^spinning rank=/, 4);
      assertRanksRunning(run, bin[`spin:${flavour}`], 4);
      run.tasks[1].child.kill('SIGTERM'); // what Mesos does to kill a task
      const codes = await run.all();
      assert.equal(codes[1].code, 143, debug(run));
      assert.equal(codes[0].code, 75, debug(run));
      const result = resultOf(run.launcher);
      assert.equal(result.reason, 'member_lost');
      assert.equal(result.retriable, true);
      assert.match(result.message, /task 1 \(agent2, .*-task-1\) left the gang/);
      assertNothingLeft(run);
    });

    it(`${flavour}: experiment inputs with shell syntax reach every rank as literal arguments`, async () => {
      const canary = join(dir, `injected-${flavour}`);
      const inputs: ApplicationInput[] = [
        { name: 'note', value: '; rm -rf /', applicationArgument: '--note', inputOrder: 2, requiredToAddedToCommandLine: true },
        { name: 'subst', value: `$(touch ${canary})`, inputOrder: 1, requiredToAddedToCommandLine: true },
        { name: 'data', value: 'file:///staging/in%20put.dat', type: 'URI', inputOrder: 3, requiredToAddedToCommandLine: true },
        { name: 'quotes', value: `it's "quoted" \`id\` | cat > ${canary}`, inputOrder: 4, requiredToAddedToCommandLine: true },
        { name: 'internal', value: 'not on the command line', inputOrder: 0, requiredToAddedToCommandLine: false },
      ];
      const argv = buildApplicationArgv(bin[`args:${flavour}`], inputs, uriFileName);
      const run = gang({ flavour, argv, placement: [{ hostname: 'agent1', slots: 1 }, { hostname: 'agent2', slots: 1 }] });
      const codes = await run.all();
      assert.deepEqual(codes.map((c) => c.code), [0, 0], debug(run));
      const expected = [`$(touch ${canary})`, '--note', '; rm -rf /', 'in put.dat', `it's "quoted" \`id\` | cat > ${canary}`];
      for (const rank of [0, 1]) {
        const got = linesMatching(run.launcher.stdout, new RegExp(`^rank=${rank} arg`));
        assert.deepEqual(got, expected.map((a, i) => `rank=${rank} arg${i + 1}=[${a}]`), debug(run));
      }
      assert.equal(existsSync(canary), false, 'an argument was interpreted by a shell');
      assertNothingLeft(run);
    });

    it(`${flavour}: a gang that fits one agent runs as a single task with 4 ranks`, async () => {
      const run = gang({ flavour, argv: [bin[`hello:${flavour}`]], placement: [{ hostname: 'agent1', slots: 4 }] });
      const [done] = await run.all();
      assert.equal(done.code, 0, debug(run));
      const lines = linesMatching(run.launcher.stdout, /^hello /).sort();
      assert.deepEqual(lines, [0, 1, 2, 3].map((r) => `hello rank=${r} size=4 agent=agent1 sum=6 job=${run.jobId} ranks_env=4`));
      assert.equal(resultOf(run.launcher).state, 'COMPLETED');
      assertNothingLeft(run);
    });
  }

  it('mpich: killing a worker task the way Mesos does (SIGTERM to all its processes at once) is a lost member', async () => {
    const run = gang({ flavour: 'mpich', argv: [bin['spin:mpich']], placement: TWO_AGENTS });
    await waitForLines(run.launcher, /^spinning rank=/, 4);
    const tree = [run.tasks[1].child.pid!, ...processesOfTask(run, 1).map((p) => p.pid)];
    assert.ok(tree.length > 2, 'positive control: the worker runs its daemon and ranks');
    for (const pid of tree) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // a process that ended between the scan and now
      }
    }
    const codes = await run.all();
    assert.equal(codes[0].code, 75, debug(run));
    const result = resultOf(run.launcher);
    assert.deepEqual([result.reason, result.retriable], ['member_lost', true]);
    assertNothingLeft(run);
  });

  it('killing the launcher task ends every task of the gang and leaves no process', async () => {
    const run = gang({ flavour: 'openmpi', argv: [bin['spin:openmpi']], placement: TWO_AGENTS });
    await waitForLines(run.launcher, /^spinning rank=/, 4);
    assertRanksRunning(run, bin['spin:openmpi'], 4);
    run.launcher.child.kill('SIGTERM');
    const codes = await run.all();
    assert.equal(codes[0].code, 143, debug(run));
    const result = resultOf(run.launcher);
    assert.equal(result.reason, 'killed');
    assert.equal(codes[1].code, 143, 'the worker ends with the launcher\'s verdict');
    assertNothingLeft(run);
  });

  it('openmpi: a job past its wall time is ended on every agent and leaves no process', async () => {
    const run = gang({ flavour: 'openmpi', argv: [bin['spin:openmpi']], placement: TWO_AGENTS, wallTimeSeconds: 1 });
    const codes = await run.all();
    assert.deepEqual(codes.map((c) => c.code), [124, 124], debug(run));
    assert.equal(resultOf(run.launcher).reason, 'walltime');
    assertNothingLeft(run);
  });

  // SIGKILL gives a task no chance to clean up: its ephemeral node lives until its ZooKeeper session
  // times out (4 s here), and MPI's own lifelines must take the orphaned daemons and ranks down.
  it('openmpi: a worker task dying without warning (SIGKILL) still fails the job and leaves no process', async () => {
    const run = gang({ flavour: 'openmpi', argv: [bin['spin:openmpi']], placement: TWO_AGENTS });
    await waitForLines(run.launcher, /^spinning rank=/, 4);
    assertRanksRunning(run, bin['spin:openmpi'], 4);
    assert.ok(processesOfTask(run, 0).length > 0 && processesOfTask(run, 1).length > 0, 'positive control: both tasks run tagged MPI processes');
    run.tasks[1].child.kill('SIGKILL');
    const codes = await run.all();
    assert.equal(codes[0].code, 75, debug(run));
    assert.equal(resultOf(run.launcher).reason, 'member_lost');
    assert.deepEqual(processesOfTask(run, 0), [], 'the launcher ends what it started before it exits');
    assert.deepEqual(await leftoversAfter(run, [dir], 10000), [], 'the dead worker\'s daemons and ranks must die with mpirun');
  });

  // An agent killed -9 takes its whole task with it at once (the task program, its MPI daemon and
  // ranks): mpirun loses the daemon within a second and ends its local ranks with SIGTERM, while the
  // dead member's ZooKeeper node lives on for a session timeout. The chaos run failed such a gang as
  // "rank 0 killed by SIGTERM" (the application's failure, not retried).
  for (const { flavour } of FLAVOURS) {
    it(`${flavour}: a worker task dying with everything it started (its agent killed -9) is a lost member, retried, not the program's failure`, async () => {
      const run = gang({ flavour, argv: [bin[`spin:${flavour}`]], placement: TWO_AGENTS });
      await waitForLines(run.launcher, /^spinning rank=/, 4);
      assertRanksRunning(run, bin[`spin:${flavour}`], 4);
      const doomed = processesOfTask(run, 1).map((p) => p.pid);
      assert.ok(doomed.length > 0, 'positive control: the worker task runs tagged MPI processes');
      for (const pid of [run.tasks[1].child.pid!, ...doomed]) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
      const codes = await run.all();
      const result = resultOf(run.launcher);
      assert.equal(result.reason, 'member_lost', debug(run));
      assert.equal(result.retriable, true);
      assert.equal(codes[0].code, 75, debug(run));
      assert.match(result.message, /task 1 \(agent2, .*\) left the gang/);
      assert.deepEqual(processesOfTask(run, 0), [], 'the launcher ends what it started before it exits');
    });
  }

  it('mpich: the launcher task dying without warning (SIGKILL) ends the workers and leaves no process', async () => {
    const run = gang({ flavour: 'mpich', argv: [bin['spin:mpich']], placement: TWO_AGENTS });
    await waitForLines(run.launcher, /^spinning rank=/, 4);
    assertRanksRunning(run, bin['spin:mpich'], 4);
    assert.ok(processesOfTask(run, 0).length > 0 && processesOfTask(run, 1).length > 0, 'positive control: both tasks run tagged MPI processes');
    run.launcher.child.kill('SIGKILL');
    const codes = await run.all();
    assert.equal(codes[1].code, 75, debug(run));
    assert.match(run.tasks[1].stderr, /the launcher task left the gang without a result/);
    assert.deepEqual(processesOfTask(run, 1), [], 'the worker ends what it started before it exits');
    assert.deepEqual(await leftoversAfter(run, [dir], 10000), [], 'the dead launcher\'s mpiexec and relays must end by themselves');
  });

  it('a task refuses to run a command sent through the remote shell that is not an MPI daemon', async () => {
    const canary = join(dir, 'remote-shell-canary');
    const run = gang({ flavour: 'openmpi', argv: [bin['hello:openmpi']], placement: TWO_AGENTS, only: [1] });
    const zk = await Zk.connect(cfg.zookeeper.connect);
    try {
      const member = `${run.rendezvous}/members/1`;
      await eventually(`rank 1 to join the rendezvous (${member})`, () => zk.exists(member), { timeoutMs: 30_000 });
      const request = await zk.create(`${run.rendezvous}/daemons/1/d-`, JSON.stringify({ argv: ['/usr/bin/touch', canary], host: 'agent2' }), 'persistent_sequential');
      const exit = await eventually('the daemon request\'s exit record', async () => (await zk.getData(`${request}/exit`)) ?? undefined, { timeoutMs: 30_000 });
      assert.match(JSON.parse(exit.toString()).error, /refused: \/usr\/bin\/touch is not an MPI daemon/);
      assert.equal(existsSync(canary), false);
    } finally {
      zk.close();
    }
    const [worker] = run.tasks;
    assert.equal(worker.index, 1);
    worker.child.kill('SIGTERM');
    assert.equal((await worker.exited).code, 143);
  });

  it('a rendezvous that never completes fails the launcher naming the missing task', async () => {
    const shortCfg = localClusterConfig({ MSCHED_MPI_RENDEZVOUS_TIMEOUT_SECONDS: '1' });
    const run = gang({ cfg: shortCfg, flavour: 'openmpi', argv: [bin['hello:openmpi']], placement: [...TWO_AGENTS, { hostname: 'agent3', slots: 1 }], only: [0, 1] });
    const codes = await run.all();
    const result = resultOf(run.launcher);
    assert.equal(result.reason, 'rendezvous_timeout', debug(run));
    assert.match(result.message, /task\(s\) 2 of 3 did not register/);
    assert.equal(result.retriable, true);
    assert.deepEqual(codes.map((c) => c.code), [75, 75]);
    assertNothingLeft(run);
  });

  describe('serial (no MPI flavour)', () => {
    it('runs the program as one task to COMPLETED with its output in the job stdout and the job environment', async () => {
      const canary = join(dir, 'injected-serial');
      const run = gang({ flavour: 'none', argv: [bin.serial, 'hello world', `; touch ${canary}`, `$(touch ${canary})`], placement: [{ hostname: 'agent1', slots: 1 }] });
      const [done] = await run.all();
      assert.equal(done.code, 0, debug(run));
      assert.deepEqual(linesMatching(run.launcher.stdout, /^arg/), ['arg1=[hello world]', `arg2=[; touch ${canary}]`, `arg3=[$(touch ${canary})]`]);
      assert.deepEqual(linesMatching(run.launcher.stdout, /^rank=/), [`rank=0 ranks=1 job=${run.jobId} sandbox=${run.launcher.sandbox} cwd=${run.launcher.sandbox}`]);
      const result = resultOf(run.launcher);
      assert.equal(result.state, 'COMPLETED');
      assert.deepEqual(await zkResult(run), result);
      assert.equal(existsSync(canary), false);
      assertNothingLeft(run);
    });

    it('feeds the standard-input file from the sandbox to the program', async () => {
      const run = gang({ flavour: 'none', argv: [bin.serial, 'stdin'], placement: [{ hostname: 'agent1', slots: 1 }], stdin: 'input.txt', files: { 'input.txt': 'line one\nline two\n' } });
      const [done] = await run.all();
      assert.equal(done.code, 0, debug(run));
      assert.deepEqual(linesMatching(run.launcher.stdout, /^stdin=/), ['stdin=line one', 'stdin=line two']);
    });

    it('fails the job with the program\'s exit code', async () => {
      const run = gang({ flavour: 'none', argv: [bin.serial, 'exit=7'], placement: [{ hostname: 'agent1', slots: 1 }] });
      const [done] = await run.all();
      assert.equal(done.code, 7, debug(run));
      const result = resultOf(run.launcher);
      assert.equal(result.state, 'FAILED');
      assert.equal(result.reason, 'rank_failed');
      assert.equal(result.failedRank, 0);
      assert.equal(result.exitCode, 7);
    });

    it('ends a program that outlives its wall time and leaves no process', async () => {
      const run = gang({ flavour: 'none', argv: [bin.serial, 'sleep'], placement: [{ hostname: 'agent1', slots: 1 }], wallTimeSeconds: 1 });
      const [done] = await run.all();
      assert.equal(done.code, 124, debug(run));
      assert.equal(resultOf(run.launcher).reason, 'walltime');
      assertNothingLeft(run);
    });

    it('reports a missing standard-input file as cannot_start without running the program', async () => {
      const run = gang({ flavour: 'none', argv: [bin.serial, 'stdin'], placement: [{ hostname: 'agent1', slots: 1 }], stdin: 'absent.txt' });
      const [done] = await run.all();
      assert.equal(done.code, 69, debug(run));
      assert.match(resultOf(run.launcher).message, /cannot open standard input: .*absent\.txt/);
      assert.equal(run.launcher.stdout, '');
    });

    it('reports a missing executable as cannot_start', async () => {
      const run = gang({ flavour: 'none', argv: [join(dir, 'no-such-program')], placement: [{ hostname: 'agent1', slots: 1 }] });
      const [done] = await run.all();
      assert.equal(done.code, 69, debug(run));
      const result = resultOf(run.launcher);
      assert.equal(result.reason, 'cannot_start');
      assert.match(result.message, /no-such-program/);
    });
  });
});
