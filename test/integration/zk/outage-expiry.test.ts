import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Zk } from '@msched/zk';
import { eventually } from '../../helpers/eventually';
import { ThrowawayZooKeeper } from '../../helpers/throwaway-zookeeper';

/**
 * Found by the chaos run (docs/reliability.md): during a ZooKeeper outage longer than the session
 * timeout the server drops our ephemeral nodes, but the client library says so only once it reaches
 * a server again. A leading Mesos master kept leading with no node in ZooKeeper. The session must be
 * taken as expired after a whole timeout out of touch, and a master process must then exit.
 */
describe('ZooKeeper outages longer than the session timeout (integration, own ZooKeeper)', function () {
  this.timeout(180_000);
  let zk: ThrowawayZooKeeper;

  before(async () => { zk = await ThrowawayZooKeeper.start(); });
  after(async () => { await zk?.stop(); });
  afterEach(async () => { if (!(await zkUp())) await zk.resume(); });
  const zkUp = () => import('@msched/zk').then(({ ruok }) => ruok(zk.connect[0]));

  it('a session out of touch for its whole timeout is reported expired while ZooKeeper is still down', async () => {
    const client = await Zk.connect(zk.connect, { sessionTimeoutMs: 4000 });
    try {
      let expiredAt = 0;
      client.onSessionExpired(() => { expiredAt = Date.now(); });
      const crashedAt = Date.now();
      await zk.crash();
      await eventually('the session to be reported expired', () => expiredAt > 0, 20_000);
      assert.ok(expiredAt - crashedAt >= 3000, `reported after ${expiredAt - crashedAt} ms, before the session timeout`);
    } finally {
      client.close();
    }
  });

  it('a local Mesos master process exits non-zero when its session is gone', async () => {
    const cli = join(__dirname, '../../../../packages/mesos-local/dist/cli.js');
    const master = spawn(process.execPath, [cli, '--agents', '0', '--host', '127.0.0.1', '--port', '0', '--zk', `zk://${zk.connect[0]}/mesos`, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    master.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    master.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((r) => master.once('exit', (code) => r(code)));
    try {
      await eventually('the master to be up', () => out.includes('up: master') || undefined, 60_000);
      await zk.crash();
      const code = await Promise.race([exited, new Promise<'alive'>((r) => setTimeout(() => r('alive'), 40_000))]);
      assert.notEqual(code, 'alive', `the master still runs 40 s after ZooKeeper went away:\n${out}`);
      assert.equal(code, 3, out);
    } finally {
      if (master.exitCode === null) master.kill('SIGKILL');
    }
  });
});
