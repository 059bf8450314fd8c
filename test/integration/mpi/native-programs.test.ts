import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Zk } from '@msched/zk';
import {
  applicationEnv, buildGangTaskCommand, GangZk, gangPaths, parseGangTaskEnv, RANK_SPEC_VARIABLE, REMOTE_SHELL_SOCKET_VARIABLE, RemoteShellServer, TAG_VARIABLE, writeRankSpec,
} from '@msched/mpi';
import { createLogger } from '@msched/logging';
import { requireStack } from '../../helpers/stack';
import { eventually } from '../../helpers/eventually';
import { localClusterConfig, uniqueJobId } from './gang-harness';

const DIST = resolve(__dirname, '../../../../packages/mpi/dist');
const NATIVE = join(DIST, 'msched-rank-exec');
const SHIM = join(DIST, 'msched-mpi-yield.so');
/** Prints where it runs and its environment: what a rank would see. */
const PRINT_SELF = [process.execPath, '-e', 'process.stdout.write(JSON.stringify({ cwd: process.cwd(), env: process.env }))'];

interface Ran { code: number | null; signal: string | null; stdout: string; stderr: string }

function run(argv: readonly string[], env: Record<string, string>, o: { argv0?: string; onStart?: (pid: number) => void } = {}): Promise<Ran> {
  return new Promise((ok, fail) => {
    const child = spawn(argv[0], argv.slice(1), { env, argv0: o.argv0, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d; });
    child.stderr.on('data', (d: Buffer) => { stderr += d; });
    child.on('error', fail);
    child.on('spawn', () => o.onStart?.(child.pid!));
    child.on('close', (code, signal) => ok({ code, signal, stdout, stderr }));
  });
}

/** The native programs (packages/mpi/native), as built by npm run build, on real processes. */
describe('mpi: the native rank wrapper and remote shell (real processes)', function () {
  this.timeout(60000);
  const cfg = localClusterConfig();
  const sandbox = mkdtempSync(join(tmpdir(), 'msched-native-'));
  const command = buildGangTaskCommand(
    { jobId: uniqueJobId('native'), processId: 'p1', experimentId: 'e1', gatewayId: 'g1', attempt: 1, ranks: 4, wallTimeSeconds: 0, flavour: 'mpich', argv: ['/app'],
      env: { APP_MODE: 'a b; $(x)', MSCHED_JOB_ID: 'forged', MSCHED_RANK: 'forged', EMPTY: '' } },
    { index: 1, memberCount: 2, slots: 2, hostname: 'agent2', agentId: 'a2', taskId: 't2' },
    { zookeeper: cfg.zookeeper, mpi: cfg.mpi },
  );
  const taskEnv: Record<string, string> = { ...Object.fromEntries(command.environment.variables.map((v) => [v.name, v.value])), MESOS_SANDBOX: sandbox, PATH: process.env.PATH ?? '/usr/bin:/bin' };
  const gang = parseGangTaskEnv(taskEnv);
  /** What an MPI daemon of this task hands a rank: the task's environment, its tag, the daemon's variables. */
  const rankBase = { ...taskEnv, [TAG_VARIABLE]: 'the-tag', PMI_RANK: '3', PMI_SIZE: '4', MPI_LOCALRANKID: '1', PMI_FD: '9' };
  const wrapper = [NATIVE, process.execPath, join(DIST, 'rank-helper.js')];

  before(function () {
    if (!existsSync(NATIVE) || !existsSync(SHIM)) throw new Error(`${NATIVE} or ${SHIM} is missing: run npm run build (needs a C compiler)`);
  });
  after(() => rmSync(sandbox, { recursive: true, force: true }));

  it('with the task\'s rank spec, starts the rank where and with what the node helper would, without node', async () => {
    const spec = writeRankSpec(gang);
    const expected = { cwd: sandbox, env: applicationEnv(rankBase, gang, { rank: 3, size: 4, localRank: 1 }) };
    const native = await run([...wrapper, ...PRINT_SELF], { ...rankBase, [RANK_SPEC_VARIABLE]: spec });
    assert.equal(native.code, 0, native.stderr);
    assert.deepEqual(JSON.parse(native.stdout), expected);
    // The node helper's answer, for the same rank: the two must never drift apart.
    const helper = await run([...wrapper, ...PRINT_SELF], rankBase);
    assert.equal(helper.code, 0, helper.stderr);
    assert.deepEqual(JSON.parse(helper.stdout), expected);
    assert.equal(expected.env.MSCHED_JOB_ID, gang.job.jobId, 'the application spec must not forge the job id');
    assert.equal(expected.env.MSCHED_RANK, '3');
    assert.equal(expected.env.APP_MODE, 'a b; $(x)');
  });

  it('refuses to start a rank that MPI did not start (no rank in the environment)', async () => {
    const spec = writeRankSpec(gang);
    const { PMI_RANK: _r, ...noRank } = rankBase;
    const r = await run([...wrapper, ...PRINT_SELF], { ...noRank, [RANK_SPEC_VARIABLE]: spec });
    assert.equal(r.code, 127);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /no rank in the environment/);
  });

  it('--yield-when-idle preloads the MPICH yield shim first, keeping what the application preloads', async () => {
    const spec = writeRankSpec(gang);
    const alone = await run([NATIVE, '--yield-when-idle', SHIM, ...wrapper.slice(1), ...PRINT_SELF], { ...rankBase, [RANK_SPEC_VARIABLE]: spec });
    assert.equal(alone.code, 0, alone.stderr);
    assert.equal(JSON.parse(alone.stdout).env.LD_PRELOAD, SHIM);
    const libc = 'libc.so.6';
    const both = await run([NATIVE, '--yield-when-idle', SHIM, ...wrapper.slice(1), ...PRINT_SELF], { ...rankBase, LD_PRELOAD: libc, [RANK_SPEC_VARIABLE]: spec });
    assert.equal(both.code, 0, both.stderr);
    assert.equal(JSON.parse(both.stdout).env.LD_PRELOAD, `${SHIM}:${libc}`);
    const without = await run([...wrapper, ...PRINT_SELF], { ...rankBase, [RANK_SPEC_VARIABLE]: spec });
    assert.equal(JSON.parse(without.stdout).env.LD_PRELOAD, undefined);
  });

  describe('the remote shell (started as msched-remote-shell) through the launcher task\'s socket', () => {
    let zk: Zk;
    let server: RemoteShellServer;
    let gz: GangZk | undefined;
    const folder = mkdtempSync(join(tmpdir(), 'msched-rs-'));
    const socket = join(folder, 'remote-shell.sock');
    const paths = gangPaths(`${cfg.zookeeper.root}/rendezvous/${uniqueJobId('rs')}/1`);
    const shell = (args: string[], o: { onStart?: (pid: number) => void } = {}) =>
      run([NATIVE, ...args], { PATH: process.env.PATH ?? '', [REMOTE_SHELL_SOCKET_VARIABLE]: socket }, { argv0: 'msched-remote-shell', ...o });
    const member = (index: number, hostname: string) => JSON.stringify({ index, hostname, agentId: `a${index}`, taskId: `t${index}`, slots: 2, pid: process.pid });

    before(async () => {
      await requireStack('zookeeper');
      zk = await Zk.connect(cfg.zookeeper.connect);
      await zk.mkdirp(paths.members);
      await zk.mkdirp(paths.daemons(1));
      await zk.create(paths.member(0), member(0, 'agent1'), 'ephemeral');
      await zk.create(paths.member(1), member(1, 'agent2'), 'ephemeral');
      gz = await GangZk.open({ connect: cfg.zookeeper.connect, sessionTimeoutMs: 10000, retryMs: 10000 }, 10000);
      server = new RemoteShellServer({ zk: gz, presenceGraceMs: 20000, paths, logger: createLogger({ service: 'test', silent: true }), socketPath: socket });
      await server.listen();
    });
    after(async () => {
      server?.close();
      gz?.close();
      if (zk) {
        await zk.removeRecursive(paths.root.replace(/\/1$/, '')).catch(() => undefined);
        zk.close();
      }
      rmSync(folder, { recursive: true, force: true });
    });

    it('without the launcher\'s socket it fails like an unreachable host (255), saying why', async () => {
      const r = await run([NATIVE, '-x', 'agent2', 'hydra_pmi_proxy'], { PATH: '/usr/bin' }, { argv0: 'msched-remote-shell' });
      assert.equal(r.code, 255);
      assert.match(r.stderr, /MSCHED_GANG_REMOTE_SHELL_SOCKET is not set/);
    });

    it('refuses anything but an MPI daemon: 255, the reason on stderr, nothing asked of the remote task', async () => {
      const canary = join(folder, 'canary');
      const r = await shell(['-x', 'agent2', '/usr/bin/touch', canary]);
      assert.equal(r.code, 255);
      assert.match(r.stderr, /refusing to run "\/usr\/bin\/touch"/);
      assert.deepEqual(await zk.getChildren(paths.daemons(1)), []);
      assert.equal(existsSync(canary), false);
    });

    it('an unknown host is an unreachable one', async () => {
      const r = await shell(['-x', 'agent9', '/usr/bin/hydra_pmi_proxy']);
      assert.equal(r.code, 255);
      assert.match(r.stderr, /no task of this gang runs on host agent9/);
    });

    it('asks the task on the host for the daemon, tokenized, and ends with the daemon\'s code', async () => {
      const ran = shell(['-x', 'agent2', '"/usr/bin/hydra_pmi_proxy"', '--control-port', "'127.0.0.1:31000'"]);
      const request = await eventually('the daemon request', async () => (await zk.getChildren(paths.daemons(1)))[0]);
      const path = `${paths.daemons(1)}/${request}`;
      const { nonce, ...asked } = JSON.parse((await zk.getData(path))!.toString()) as { nonce: unknown };
      assert.deepEqual(asked, { argv: ['/usr/bin/hydra_pmi_proxy', '--control-port', '127.0.0.1:31000'], host: 'agent2' });
      assert.equal(typeof nonce, 'string', 'the request carries the nonce a retried create finds it by');
      await zk.create(`${path}/exit`, JSON.stringify({ code: 7, signal: null }));
      assert.equal((await ran).code, 7);
      await zk.removeRecursive(path);
    });

    it('a remote shell stopped by a signal asks the remote task to stop the daemon', async () => {
      let pid = 0;
      const ran = shell(['-x', 'agent2', 'hydra_pmi_proxy'], { onStart: (p) => { pid = p; } });
      const request = await eventually('the daemon request', async () => (await zk.getChildren(paths.daemons(1)))[0]);
      process.kill(pid, 'SIGTERM');
      assert.equal((await ran).code, 255);
      await eventually('the kill request', () => zk.exists(`${paths.daemons(1)}/${request}/kill`).then((yes) => yes || undefined));
      await zk.removeRecursive(`${paths.daemons(1)}/${request}`);
    });
  });
});
