import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { allTopicNames } from '@msched/bus';
import { createTopics, freePort, kafkaAnswers } from '@msched/devstack';
import { ruok } from '@msched/zk';
import { ManagedProcess, until } from './proc';

/**
 * The run's own servers, on ports of their own and state under the run folder: ZooKeeper, Kafka
 * (KRaft), PostgreSQL and a local Mesos cluster of two masters and N agents, each an OS process,
 * so that any of them can be killed and restarted without touching the shared development stack.
 */
export interface IsolatedStack {
  zkPort: number;
  kafkaPort: number;
  pgPort: number;
  masterPorts: number[];
  zk: ManagedProcess;
  kafka: ManagedProcess;
  pg: ManagedProcess;
  masters: ManagedProcess[];
  agents: ManagedProcess[];
  agentWorkDir: string;
  databaseUrl: string;
  mesosZk: string;
  /** Restarts master i as a standby (after a kill the registry in ZooKeeper is kept). */
  restartMaster(i: number): void;
  waitZk(timeoutMs?: number): Promise<void>;
  waitKafka(timeoutMs?: number): Promise<void>;
  waitPg(timeoutMs?: number): Promise<void>;
  stopAll(): Promise<void>;
}

export interface StackOptions {
  repo: string;
  dir: string;
  agents: number;
  agentCpus: number;
  agentMemMb: number;
  sandboxGcDelayMs: number;
  topicPrefix: string;
  partitions: number;
}

function pgBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(a) - Number(b)) : [];
  if (!versions.length) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql: install postgresql (Debian: apt-get install postgresql)');
  return join(root, versions[versions.length - 1], 'bin');
}

/** PostgreSQL refuses to run as root: run its binaries as the postgres user then (no shell involved). */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  if (statSync(path).isDirectory()) for (const n of readdirSync(path)) chownTree(join(path, n), uid, gid);
}

/** Kafka's classpath, resolved from Maven Central once (as deploy/local/stack.sh does). */
function kafkaClasspath(repo: string): string {
  const state = join(repo, process.env.MSCHED_STATE_DIR ?? '.state');
  const candidates = [join(state, 'kafka', 'classpath.txt'), join(repo, '.state', 'kafka', 'classpath.txt')];
  for (const c of candidates) if (existsSync(c) && readFileSync(c, 'utf8').trim()) return readFileSync(c, 'utf8').trim();
  mkdirSync(join(state, 'kafka'), { recursive: true });
  const out = candidates[0];
  const r = spawnSync('mvn', ['-q', '-B', '-f', join(repo, 'deploy/local/kafka/pom.xml'), 'dependency:build-classpath', `-Dmdep.outputFile=${out}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`Maven could not resolve Kafka: ${r.stderr || r.stdout}`);
  return readFileSync(out, 'utf8').trim();
}

/**
 * `answers`, starting `server` again whenever it is found exited, as a supervisor does. A server
 * restarted right after a kill -9 can exit at once: PostgreSQL refused to start while its killed
 * postmaster was still an unreaped zombie ("lock file postmaster.pid already exists"), and stayed
 * down for 5 minutes of the 30-minute run until the next fault started it.
 */
function supervised(server: ManagedProcess, answers: () => Promise<boolean>): () => Promise<boolean> {
  return async () => {
    if (!server.alive && !server.heldDown) server.start();
    return answers();
  };
}

export async function startIsolatedStack(o: StackOptions): Promise<IsolatedStack> {
  const logs = join(o.dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const env = { ...process.env };
  const [zkPort, kafkaPort, kafkaCtrl, pgPort, m0, m1] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);

  // ZooKeeper
  const zkDir = join(o.dir, 'zookeeper');
  mkdirSync(join(zkDir, 'data'), { recursive: true });
  writeFileSync(join(zkDir, 'zoo.cfg'), [
    'tickTime=1000', 'initLimit=10', 'syncLimit=5', `dataDir=${join(zkDir, 'data')}`, `clientPort=${zkPort}`, 'clientPortAddress=127.0.0.1',
    'maxClientCnxns=200', 'admin.enableServer=false', '4lw.commands.whitelist=ruok,stat,srvr,mntr', 'minSessionTimeout=2000', '',
  ].join('\n'));
  const zkJars = process.env.MSCHED_STACK_ZK_JARS ?? '/usr/share/java';
  const zk = new ManagedProcess('zookeeper', 'java', ['-Xmx192m', '-XX:TieredStopAtLevel=1', '-Dzookeeper.jmx.log4j.disable=true', '-cp', `${zkJars}/*`, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', join(zkDir, 'zoo.cfg')], env, join(logs, 'zookeeper.log'));

  // Kafka (KRaft, one node)
  const kDir = join(o.dir, 'kafka');
  mkdirSync(kDir, { recursive: true });
  const props = join(kDir, 'server.properties');
  writeFileSync(props, [
    'process.roles=broker,controller', 'node.id=1', `controller.quorum.voters=1@127.0.0.1:${kafkaCtrl}`,
    `listeners=PLAINTEXT://127.0.0.1:${kafkaPort},CONTROLLER://127.0.0.1:${kafkaCtrl}`, `advertised.listeners=PLAINTEXT://127.0.0.1:${kafkaPort}`,
    'controller.listener.names=CONTROLLER', 'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT', 'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${join(kDir, 'data')}`, `num.partitions=${o.partitions}`, 'auto.create.topics.enable=false', 'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=4', 'transaction.state.log.replication.factor=1', 'transaction.state.log.min.isr=1', 'min.insync.replicas=1',
    'group.initial.rebalance.delay.ms=0', '',
  ].join('\n'));
  writeFileSync(join(kDir, 'log4j.properties'), ['log4j.rootLogger=WARN, F', 'log4j.appender.F=org.apache.log4j.FileAppender', `log4j.appender.F.File=${join(kDir, 'server.log')}`, 'log4j.appender.F.layout=org.apache.log4j.PatternLayout', 'log4j.appender.F.layout.ConversionPattern=[%d] %p %m (%c)%n', ''].join('\n'));
  const cp = kafkaClasspath(o.repo);
  const jopts = ['-Xmx512m', '-Xms128m', '-XX:+UseG1GC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true', `-Dlog4j.configuration=file:${join(kDir, 'log4j.properties')}`];
  const fmt = spawnSync('java', [...jopts, '-cp', cp, 'kafka.tools.StorageTool', 'format', '-t', randomUUID().replace(/-/g, '').slice(0, 22), '-c', props], { encoding: 'utf8' });
  if (fmt.status !== 0) throw new Error(`Kafka storage format failed: ${fmt.stderr || fmt.stdout}`);
  const kafka = new ManagedProcess('kafka', 'java', [...jopts, '-cp', cp, 'kafka.Kafka', props], env, join(logs, 'kafka.log'));

  // PostgreSQL from the installed binaries, in the run folder
  const bin = pgBin();
  const pgDir = join(o.dir, 'postgres');
  mkdirSync(pgDir, { recursive: true });
  if (process.getuid?.() === 0) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) throw new Error('running as root needs a postgres user to run PostgreSQL (Debian: apt-get install postgresql)');
    chownTree(pgDir, Number(id.stdout.trim()), Number(gid.stdout.trim()));
    // The postgres user must be able to reach its folder: a run folder from mkdtemp (--out in
    // test/chaos) is 0700 root, and initdb then fails with "Permission denied".
    chmodSync(o.dir, statSync(o.dir).mode | 0o011);
  }
  const [initCmd, initArgs] = asPostgres(join(bin, 'initdb'), ['-D', join(pgDir, 'data'), '-U', 'postgres', '--auth=trust', '--no-sync']);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const [pgCmd, pgArgs] = asPostgres(join(bin, 'postgres'), ['-D', join(pgDir, 'data'), '-p', String(pgPort), '-k', pgDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'shared_buffers=64MB']);
  const pg = new ManagedProcess('postgres', pgCmd, pgArgs, env, join(logs, 'postgres.log'));
  const databaseUrl = `postgres://postgres@127.0.0.1:${pgPort}/msched_chaos`;

  // The local Mesos cluster: two masters contending in ZooKeeper, agents joining through it.
  const cli = join(o.repo, 'packages/mesos-local/dist/cli.js');
  const mesosZk = `zk://127.0.0.1:${zkPort}/mesos`;
  const agentWorkDir = join(o.dir, 'agents');
  mkdirSync(agentWorkDir, { recursive: true });
  const timing = ['--agent-timeout-ms', '15000', '--allocation-interval-ms', '500', '--log-level', 'info', '--update-retry-ms', '3000'];
  const masterArgs = (i: number, first: boolean) => [cli, ...(first ? ['--agents', '0'] : ['--standby']), '--host', '127.0.0.1', '--port', String([m0, m1][i]), '--zk', mesosZk, '--work-dir', join(o.dir, `master${i}`), ...timing];
  const masters = [new ManagedProcess('master0', process.execPath, masterArgs(0, true), env, join(logs, 'master0.log')), new ManagedProcess('master1', process.execPath, masterArgs(1, false), env, join(logs, 'master1.log'))];
  const restarted: ManagedProcess[] = [...masters];
  const agents = Array.from({ length: o.agents }, (_, i) => new ManagedProcess(`agent${i + 1}`, process.execPath, [
    cli, 'agent', '--master', mesosZk, '--hostname', `agent${i + 1}`, '--cpus', String(o.agentCpus), '--mem', String(o.agentMemMb), '--ports', '20',
    '--work-dir', agentWorkDir, '--sandbox-gc-delay-ms', String(o.sandboxGcDelayMs),
    // Agents where nothing of ours is installed: every task fetches the runtime (issue 19).
    '--tasks-without-node',
  ], env, join(logs, `agent${i + 1}.log`)));

  const stack: IsolatedStack = {
    zkPort, kafkaPort, pgPort, masterPorts: [m0, m1], zk, kafka, pg, masters: restarted, agents, agentWorkDir, databaseUrl, mesosZk,
    restartMaster(i) {
      restarted[i] = new ManagedProcess(`master${i}`, process.execPath, masterArgs(i, false), env, join(logs, `master${i}.log`));
      restarted[i].start();
    },
    waitZk: (t = 60_000) => until(`ZooKeeper on ${zkPort}`, t, supervised(zk, () => ruok(`127.0.0.1:${zkPort}`))),
    waitKafka: (t = 120_000) => until(`Kafka on ${kafkaPort}`, t, supervised(kafka, () => kafkaAnswers(`127.0.0.1:${kafkaPort}`)), 1000),
    waitPg: (t = 180_000) => until(`PostgreSQL on ${pgPort}`, t, supervised(pg, async () => {
      const c = new Client({ connectionString: `postgres://postgres@127.0.0.1:${pgPort}/postgres`, connectionTimeoutMillis: 2000 });
      try { await c.connect(); await c.query('SELECT 1'); return true; } finally { await c.end().catch(() => undefined); }
    })),
    async stopAll() {
      for (const p of [...stack.agents, ...restarted]) await p.stop(10_000).catch(() => undefined);
      for (const p of [kafka, zk, pg]) await p.stop(20_000).catch(() => undefined);
    },
  };

  zk.start();
  pg.start();
  await stack.waitZk();
  kafka.start();
  await stack.waitPg();
  const admin = new Client({ connectionString: `postgres://postgres@127.0.0.1:${pgPort}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE msched_chaos');
  await admin.end();
  await stack.waitKafka();
  await createTopics([`127.0.0.1:${kafkaPort}`], [...new Set([...allTopicNames(o.topicPrefix), `${o.topicPrefix}airavata.status`])], o.partitions, 1);
  masters[0].start();
  await until('the first Mesos master', 60_000, async () => (await fetch(`http://127.0.0.1:${m0}/master/state`, { signal: AbortSignal.timeout(2000) })).status === 200);
  masters[1].start();
  for (const a of agents) a.start();
  await until(`${o.agents} agents registered`, 90_000, async () => {
    const s = await (await fetch(`http://127.0.0.1:${m0}/master/state`, { signal: AbortSignal.timeout(3000) })).json() as { slaves?: unknown[] };
    return (s.slaves?.length ?? 0) >= o.agents;
  }, 1000);
  return stack;
}
