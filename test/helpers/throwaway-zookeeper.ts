import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@msched/devstack';
import { ruok } from '@msched/zk';
import { eventually } from './eventually';

/**
 * A ZooKeeper of a test's own, on its own port, that the test may crash (kill -9) and start again
 * with the same data, to put clients through a real outage without touching the shared one.
 */
export class ThrowawayZooKeeper {
  private proc?: ChildProcess;
  private constructor(readonly port: number, private readonly dir: string) {}

  static async start(): Promise<ThrowawayZooKeeper> {
    const dir = mkdtempSync(join(tmpdir(), 'msched-zk-'));
    mkdirSync(join(dir, 'data'));
    const zk = new ThrowawayZooKeeper(await freePort(), dir);
    writeFileSync(join(dir, 'zoo.cfg'), [
      'tickTime=1000', `dataDir=${join(dir, 'data')}`, `clientPort=${zk.port}`, 'clientPortAddress=127.0.0.1',
      'admin.enableServer=false', '4lw.commands.whitelist=ruok', 'minSessionTimeout=2000', '',
    ].join('\n'));
    await zk.resume();
    return zk;
  }

  get connect(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  /** Starts (again) on the same port and data; resolves when it answers ruok. */
  async resume(): Promise<void> {
    const jars = process.env.MSCHED_STACK_ZK_JARS ?? '/usr/share/java';
    this.proc = spawn('java', ['-Xmx128m', '-XX:TieredStopAtLevel=1', '-Dzookeeper.jmx.log4j.disable=true', '-cp', `${jars}/*`, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', join(this.dir, 'zoo.cfg')], { stdio: 'ignore' });
    await eventually(`ZooKeeper on ${this.port}`, () => ruok(this.connect[0]).then((ok) => ok || undefined), 90_000);
  }

  /** kill -9, as a crash. */
  async crash(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
  }

  async stop(): Promise<void> {
    await this.crash();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
