import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import type { Config } from '@msched/config';
import { electionPath } from '@msched/dispatcher';
import type { LocalCluster, LocalClusterOptions } from '@msched/mesos-local';
import { Zk } from '@msched/zk';
import { requireStack } from '../../helpers/stack';
import { prepareSuite, removeZkRoot, startCluster, suiteConfig, suiteEnv } from './support';

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

export interface ReplicaSuite {
  readonly cfg: Config;
  readonly ds: DataSource;
  readonly cluster: LocalCluster;
  /** A session of the test's own, to read the election. */
  readonly zk: Zk;
  readonly replicas: DispatcherReplicas;
}

/**
 * The failover suites' set-up and tear-down: their own database, topics and ZooKeeper root, a local
 * cluster, and dispatcher replicas as processes started by the tests (`extra`: settings for both
 * the suite's config and the replicas' environment).
 */
export function replicaSuite(name: string, cluster: LocalClusterOptions, extra: Record<string, string> = {}): ReplicaSuite {
  const cfg = suiteConfig(name, extra);
  const env = { ...process.env, MSCHED_ENV: 'test', MSCHED_KAFKA_PARTITIONS: '2', MSCHED_LOG_LEVEL: 'info', MSCHED_LOG_FORMAT: 'json', ...suiteEnv(name, extra) };
  const s = { cfg, replicas: new DispatcherReplicas(env, cfg.zookeeper.root) } as { -readonly [K in keyof ReplicaSuite]: ReplicaSuite[K] };
  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    s.ds = await prepareSuite(cfg);
    s.zk = await Zk.connect(cfg.zookeeper.connect);
    s.cluster = await startCluster(cfg, cluster);
  });
  after(async () => {
    await s.replicas.stopAll();
    await s.cluster?.stop();
    await s.ds?.destroy();
    s.zk?.close();
    await removeZkRoot(cfg).catch(() => undefined);
  });
  return s;
}
