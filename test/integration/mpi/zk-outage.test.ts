import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLogger } from '@msched/logging';
import { GangZk, gangPaths, readGangResult, REMOTE_SHELL_SOCKET_VARIABLE, RemoteShellServer, type GangResult } from '@msched/mpi';
import { Zk } from '@msched/zk';
import { eventually } from '../../helpers/eventually';
import { ThrowawayZooKeeper } from '../../helpers/throwaway-zookeeper';
import { TcpProxy } from '../../helpers/tcp-proxy';
import {
  compileFixture, destroyGang, fixtureDir, localClusterConfig, processesOf, resultOf, startGang, uniqueJobId, waitForLines, type GangRun,
} from './gang-harness';

/**
 * ZooKeeper is the gang's rendezvous and a fast liveness signal, not its fate (Mesos is): an outage
 * longer than the session timeout must neither fail a gang whose MPI processes are healthy nor turn a
 * finished run into FAILED. Found by the seeded chaos run (a 6 s kill -9 of ZooKeeper, session timeout
 * 8 s): launchers failed collecting the ranks' exits ("internal", not retriable) and members ended
 * their MPI processes on a lost session. A ZooKeeper of the test's own, crashed and restarted, or a
 * relay per task that cuts one task's connection; real OpenMPI.
 */
describe('MPI gang tasks through ZooKeeper outages (integration: throwaway ZooKeeper, OpenMPI)', function () {
  this.timeout(180_000);
  const SESSION_MS = 4000;
  const TWO_AGENTS = [{ hostname: 'agent1', slots: 2 }, { hostname: 'agent2', slots: 2 }];
  let zookeeper: ThrowawayZooKeeper;
  let cfg: ReturnType<typeof localClusterConfig>;
  let proxies: TcpProxy[] = [];
  let dir = '';
  let nap = '';
  let napMpich = '';
  let current: GangRun | undefined;

  before(async function () {
    this.timeout(120_000);
    zookeeper = await ThrowawayZooKeeper.start();
    cfg = localClusterConfig({ MSCHED_ZK_CONNECT: zookeeper.connect.join(','), MSCHED_ZK_SESSION_TIMEOUT_MS: String(SESSION_MS) });
    dir = fixtureDir();
    [nap, napMpich] = await Promise.all([compileFixture(dir, 'nap.c', 'mpicc.openmpi'), compileFixture(dir, 'nap.c', 'mpicc.mpich')]);
  });

  afterEach(async () => {
    await destroyGang(current, cfg, [dir]);
    current = undefined;
    await Promise.all(proxies.map((p) => p.close()));
    proxies = [];
  });

  after(async () => {
    await zookeeper?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Each task reaches ZooKeeper through a relay of its own, so a test can cut one task off. */
  async function gangWithRelays(argv: string[], taskEnv: Record<string, string> = {}, flavour: 'openmpi' | 'mpich' = 'openmpi'): Promise<GangRun> {
    proxies = await Promise.all(TWO_AGENTS.map(() => TcpProxy.start(zookeeper.connect[0])));
    current = startGang({ cfg, jobId: uniqueJobId('zk-outage'), flavour, argv, placement: TWO_AGENTS, zkConnectOf: (i) => [`127.0.0.1:${proxies[i].port}`], taskEnv });
    return current;
  }

  async function zkResult(run: GangRun): Promise<GangResult | undefined> {
    const zk = await Zk.connect(cfg.zookeeper.connect);
    try {
      return await readGangResult(zk, run.rendezvous);
    } finally {
      zk.close();
    }
  }

  function debug(run: GangRun): string {
    return run.tasks.map((t) => `--- task ${t.index} (${t.hostname}) stdout:\n${t.stdout}\n--- stderr:\n${t.stderr}`).join('\n');
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('a ZooKeeper crash spanning the end of the run (longer than the session timeout): the launcher collects the exits and the gang ends COMPLETED', async () => {
    const run = await gangWithRelays([nap, '6']);
    await waitForLines(run.launcher, /^napping rank=/, 4);
    await sleep(3000);
    await zookeeper.crash();
    // mpirun ends while ZooKeeper is away: the launcher collects the ranks' exits during the outage.
    await waitForLines(run.launcher, /^rank \d of 4: 6 s done$/, 4);
    await sleep(3 * SESSION_MS);
    await zookeeper.resume();
    const codes = await run.all();
    assert.deepEqual(codes.map((c) => c.code), [0, 0], debug(run));
    const result = resultOf(run.launcher);
    assert.deepEqual([result.state, result.exitCode], ['COMPLETED', 0], debug(run));
    assert.deepEqual((await zkResult(run))?.state, 'COMPLETED');
    assert.match(run.launcher.stderr, /opened a new ZooKeeper session/, 'the outage did expire the session (else this test proves nothing)');
  });

  it('ZooKeeper away past the retry bound when the launcher collects the exits: FAILED as zookeeper_unavailable, retriable, not internal', async () => {
    const run = await gangWithRelays([nap, '3'], { MSCHED_GANG_ZK_RETRY_MS: '6000' });
    await waitForLines(run.launcher, /^napping rank=/, 4);
    await zookeeper.crash();
    try {
      const launcher = await run.launcher.exited;
      assert.equal(launcher.code, 75, debug(run));
      const result = resultOf(run.launcher);
      assert.deepEqual([result.state, result.reason, result.exitCode, result.retriable], ['FAILED', 'zookeeper_unavailable', 75, true], debug(run));
      assert.match(result.message, /ZooKeeper unreachable for 6000 ms/);
    } finally {
      await zookeeper.resume();
    }
    // The member learns nothing from ZooKeeper either: it ends as a broken gang, not with a verdict of its own.
    assert.equal((await run.tasks[1].exited).code, 75, debug(run));
  });

  it('a rank failing during a ZooKeeper crash still fails the job with its own code and rank', async () => {
    const run = await gangWithRelays([nap, '5', '2', '3']);
    await waitForLines(run.launcher, /^napping rank=/, 4);
    await sleep(2000);
    await zookeeper.crash();
    await sleep(3 * SESSION_MS);
    await zookeeper.resume();
    const codes = await run.all();
    assert.equal(codes[0].code, 3, debug(run));
    const result = resultOf(run.launcher);
    assert.deepEqual([result.state, result.reason, result.exitCode, result.failedRank, result.failedHost], ['FAILED', 'rank_failed', 3, 2, 'agent2'], debug(run));
  });

  for (const flavour of ['openmpi', 'mpich'] as const) {
    it(`${flavour}: a member cut off from ZooKeeper past its session timeout keeps its MPI processes: it registers again and the gang completes`, async () => {
      const binary = flavour === 'openmpi' ? nap : napMpich;
      const run = await gangWithRelays([binary, '16'], {}, flavour);
      await waitForLines(run.launcher, /^napping rank=/, 4);
      const worker = run.tasks[1];
      proxies[1].cut(2.25 * SESSION_MS);
      await sleep(2.25 * SESSION_MS + 1000);
      // Its ranks are still there (before the fix the member ended them on the lost session).
      const ranks = processesOf(run, [dir]).filter((p) => p.cmdline.startsWith(binary));
      assert.equal(ranks.length, 4, `expected 4 ranks still running:\n${ranks.map((p) => p.cmdline).join('\n')}\n${debug(run)}`);
      const codes = await run.all();
      assert.deepEqual(codes.map((c) => c.code), [0, 0], debug(run));
      assert.deepEqual([resultOf(run.launcher).state, resultOf(run.launcher).exitCode], ['COMPLETED', 0]);
      assert.equal(run.launcher.stdout.split('\n').filter((l) => /^rank \d of 4: 16 s done$/.test(l)).length, 4, debug(run));
      assert.match(worker.stderr, /registered task 1 again with the new ZooKeeper session/, 'the cut did expire the member\'s session (else this test proves nothing)');
    });
  }

  it('the launcher cut off from ZooKeeper past its session timeout keeps MPI running and the gang completes', async () => {
    const run = await gangWithRelays([nap, '16']);
    await waitForLines(run.launcher, /^napping rank=/, 4);
    proxies[0].cut(2.25 * SESSION_MS);
    const codes = await run.all();
    assert.deepEqual(codes.map((c) => c.code), [0, 0], debug(run));
    assert.deepEqual([resultOf(run.launcher).state, resultOf(run.launcher).exitCode], ['COMPLETED', 0]);
    assert.match(run.launcher.stderr, /registered task 0 again with the new ZooKeeper session/, 'the cut did expire the launcher\'s session');
  });

  it('a remote shell call made while the launcher is cut off from ZooKeeper past its session timeout is placed once ZooKeeper is back', async () => {
    const proxy = await TcpProxy.start(zookeeper.connect[0]);
    proxies.push(proxy);
    const paths = gangPaths(`${cfg.zookeeper.root}/rendezvous/${uniqueJobId('rs-outage')}/1`);
    const member = (index: number, hostname: string) => JSON.stringify({ index, hostname, agentId: `a${index}`, taskId: `t${index}`, slots: 2, pid: process.pid });
    const zk = await Zk.connect(cfg.zookeeper.connect); // the test's own view, never cut
    const folder = mkdtempSync(join(tmpdir(), 'msched-rs-outage-'));
    const socket = join(folder, 'remote-shell.sock');
    await zk.mkdirp(paths.members);
    await zk.mkdirp(paths.daemons(1));
    await zk.create(paths.member(0), member(0, 'agent1'), 'ephemeral');
    await zk.create(paths.member(1), member(1, 'agent2'), 'ephemeral');
    // The launcher task's side of the native remote shell, with the launcher's (cuttable) session.
    const gz = await GangZk.open({ connect: [`127.0.0.1:${proxy.port}`], sessionTimeoutMs: SESSION_MS, retryMs: 60_000 }, 10_000);
    const server = new RemoteShellServer({ zk: gz, paths, logger: createLogger({ service: 'test', silent: true }), socketPath: socket, presenceGraceMs: 2 * SESSION_MS });
    await server.listen();
    try {
      proxy.cut(2.5 * SESSION_MS);
      const native = resolve(__dirname, '../../../../packages/mpi/dist/msched-rank-exec');
      const shell = spawn(native, ['-x', 'agent2', 'hydra_pmi_proxy'], { argv0: 'msched-remote-shell', env: { PATH: process.env.PATH ?? '', [REMOTE_SHELL_SOCKET_VARIABLE]: socket }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      shell.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
      const ended = new Promise<number | null>((r) => shell.once('close', (code) => r(code)));
      const request = await eventually('the daemon request', async () => (await zk.getChildren(paths.daemons(1)))[0], 60_000);
      await zk.create(`${paths.daemons(1)}/${request}/exit`, JSON.stringify({ code: 7, signal: null }));
      assert.equal(await ended, 7, `the remote shell ended other than with the daemon's code; its stderr:\n${stderr}`);
      assert.equal((await zk.getChildren(paths.daemons(1))).length, 1, 'one call, one daemon request');
    } finally {
      server.close();
      gz.close();
      await zk.removeRecursive(paths.root.replace(/\/1$/, '')).catch(() => undefined);
      zk.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
