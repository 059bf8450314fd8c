import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { electionPath } from '@msched/dispatcher';
import type { Zk } from '@msched/zk';

const MAIN = resolve(__dirname, '../../../../services/dispatcher/dist/main.js');

export interface Replica {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  log: string;
}

/**
 * Dispatcher replicas as real processes (as in production), and which one leads as ZooKeeper says:
 * the failover suites kill them with SIGKILL, so no clean-up of theirs can help a test pass.
 */
export class DispatcherReplicas {
  private readonly replicas: Replica[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv, private readonly zkRoot: string) {}

  start(): Replica {
    const child = spawn(process.execPath, [MAIN], { env: this.env, stdio: ['ignore', 'ignore', 'pipe'] });
    const r: Replica = { child, log: '', exited: new Promise((res) => child.once('exit', (code) => res(code))) };
    child.stderr!.on('data', (d: Buffer) => { r.log += d.toString(); });
    this.replicas.push(r);
    return r;
  }

  /** The pid of the replica whose candidate node is lowest (the leader). */
  async leaderPid(zk: Zk): Promise<number | undefined> {
    const path = electionPath(this.zkRoot);
    const names = (await zk.getChildren(path).catch(() => [] as string[])).filter((c) => c.startsWith('candidate_')).sort();
    if (!names.length) return undefined;
    const data = await zk.getData(`${path}/${names[0]}`);
    const identity = data ? (JSON.parse(data.toString()) as { identity: string }).identity : '';
    return identity.startsWith(`${hostname()}:`) ? Number(identity.split(':')[1]) : undefined;
  }

  async stopAll(): Promise<void> {
    for (const r of this.replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGTERM');
    await Promise.all(this.replicas.map((r) => r.exited));
  }
}
