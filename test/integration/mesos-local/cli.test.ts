import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Zk } from '@msched/zk';
import { RawScheduler, commandTask, httpRequest } from '../../helpers/mesos-raw';
import { requireStack, testConfig } from '../../helpers/stack';
import { eventually } from '../../helpers/eventually';
import { pidAlive, pidsFrom, reconcileUntilAnswered, sandboxOf, startTestCluster } from './fixture';

const CLI = resolve(__dirname, '../../../../packages/mesos-local/dist/cli.js');

/** The command that runs the cluster in the foreground, as deploy/local/stack.sh starts it. */
describe('mesos-local: the msched-local-cluster command (integration)', function () {
  let child: ChildProcess | undefined;
  let workDir: string;

  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), 'mesos-local-cli-'));
  });

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      // SIGTERM lets the command clean up; SIGKILL only if it does not exit.
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    child = undefined;
    rmSync(workDir, { recursive: true, force: true });
  });

  it('runs agents that take tasks, answers the probe, and leaves no task behind on SIGTERM', async () => {
    const portsFrom = String(32000 + Math.floor(Math.random() * 25000));
    child = spawn(process.execPath, [CLI, '--agents', '2', '--port', '0', '--work-dir', workDir, '--ports', '4', '--ports-from', portsFrom,
      '--attributes', 'rack:r%i', '--allocation-interval-ms', '50', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const url = await eventually('the master URL on stdout', () => /master (http:\/\/[\d.]+:\d+)/.exec(out)?.[1], 20_000);
    await eventually('both agents listed', () => ((out.match(/agent agent\d/g) ?? []).length === 2 ? true : undefined));
    assert.match(out, /agent agent1 \S+-S\d+ ports \d+-\d+ work dir /);
    assert.equal(spawnSync(process.execPath, [CLI, 'probe', url]).status, 0);

    const s = await RawScheduler.subscribe(url);
    const offer = await s.nextOffer();
    assert.equal(offer.attributes.find((a: { name: string }) => a.name === 'rack').type, 'TEXT');
    const taskId = `cli-${randomUUID().slice(0, 8)}`;
    await s.launch(offer, [commandTask(offer, taskId, { value: 'echo $$ > pids; sleep 600 & echo $! >> pids; wait' })]);
    await s.waitState(taskId, 'TASK_RUNNING');
    const dir = await sandboxOf(url, s.frameworkId, taskId);
    assert.ok(dir.startsWith(workDir), 'sandboxes live under --work-dir');
    const pids = await pidsFrom(url, `${dir}/pids`, 2);
    s.close();

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child!.once('exit', (c) => r(c)));
    assert.equal(code, 0);
    assert.deepEqual(pids.filter(pidAlive), []);
    assert.equal(spawnSync(process.execPath, [CLI, 'probe', url]).status, 1);
  });

  it('--standby joins the masters in ZooKeeper from another process and takes over with the agents and their tasks', async () => {
    await requireStack('zookeeper');
    const cfg = testConfig();
    const path = `${cfg.zookeeper.root}/mesos-standby-${randomUUID().slice(0, 8)}`;
    const zkUrl = `zk://${cfg.zookeeper.connect.join(',')}${path}`;
    const cluster = await startTestCluster({ agents: 1, zk: zkUrl });
    try {
      child = spawn(process.execPath, [CLI, '--standby', '--zk', zkUrl, '--port', '0', '--work-dir', workDir, '--allocation-interval-ms', '50', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const standbyUrl = await eventually('the standby URL on stdout', () => /standby master up: master (http:\/\/[\d.]+:\d+)/.exec(out)?.[1], 20_000);
      const leaderUrl = cluster.masterUrl;
      const redirect = await httpRequest('GET', `${standbyUrl}/master/redirect`);
      assert.equal(redirect.status, 307);
      assert.equal(`http:${redirect.headers.location}`, leaderUrl);

      const s = await RawScheduler.subscribe(leaderUrl, { failoverTimeout: 600 });
      const offer = await s.nextOffer();
      const taskId = `standby-${randomUUID().slice(0, 8)}`;
      await s.launch(offer, [commandTask(offer, taskId, { value: 'echo $$ > pids; exec sleep 600' })]);
      await s.waitState(taskId, 'TASK_RUNNING');
      const [pid] = await pidsFrom(leaderUrl, `${await sandboxOf(leaderUrl, s.frameworkId, taskId)}/pids`, 1);
      s.close();

      await cluster.failoverMaster();
      assert.equal(cluster.masterUrl, standbyUrl, 'the master in the other process leads now');
      const again = await RawScheduler.subscribe(standbyUrl, { failoverTimeout: 600, frameworkId: s.frameworkId });
      assert.equal((await reconcileUntilAnswered(again, taskId, offer.agent_id)).update.status.state, 'TASK_RUNNING');
      assert.ok(pidAlive(pid));
      await again.mustCall('KILL', { task_id: { value: taskId }, agent_id: offer.agent_id });
      await again.waitState(taskId, 'TASK_KILLED');
      assert.equal(pidAlive(pid), false);
      await again.call('TEARDOWN');
      again.close();
    } finally {
      await cluster.stop();
      const zk = await Zk.connect(cfg.zookeeper.connect);
      await zk.removeRecursive(path).catch(() => undefined).finally(() => zk.close());
    }
  });

  it('refuses bad options with exit status 2 and a reason', () => {
    const standby = spawnSync(process.execPath, [CLI, '--standby']);
    assert.equal(standby.status, 2);
    assert.match(standby.stderr.toString(), /--standby needs --zk/);
    const unknown = spawnSync(process.execPath, [CLI, '--frobnicate']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr.toString(), /unknown option --frobnicate/);
  });
});
