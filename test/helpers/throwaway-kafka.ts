import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { kafkaAnswers } from '@msched/devstack';
import { eventually, GiveUp } from './eventually';

/**
 * A single-node Kafka (KRaft) of a test's own, on free ports, for outage tests: stop it and start it
 * again without touching the shared broker other suites use. Java and the Kafka jars come from the
 * local stack (deploy/local/stack.sh resolves them into .state/kafka/classpath.txt). The data folder
 * survives stop/start, as a real broker's disk does; `destroy` removes it.
 */
export interface ThrowawayKafka {
  readonly brokers: string[];
  /** Stops the broker process (SIGTERM, then SIGKILL after 20 s) and waits until it is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same ports and data, and waits until it answers. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

// Compiled to test/dist/helpers: the repository is three levels up.
const ROOT = resolve(__dirname, '../../..');

function classpath(): string {
  const state = resolve(ROOT, process.env.MSCHED_STATE_DIR ?? '.state');
  const file = join(state, 'kafka', 'classpath.txt');
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run stack:up once (it resolves Kafka from Maven)`);
  return readFileSync(file, 'utf8').trim();
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

export async function startThrowawayKafka(): Promise<ThrowawayKafka> {
  const cp = classpath();
  const dir = mkdtempSync(join(tmpdir(), 'msched-kafka-'));
  const port = await freePort();
  const ctrl = await freePort();
  const props = join(dir, 'server.properties');
  writeFileSync(props, [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${ctrl}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${ctrl}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${join(dir, 'data')}`,
    'num.partitions=1',
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'min.insync.replicas=1',
    'group.initial.rebalance.delay.ms=0',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'log4j.properties'), [
    'log4j.rootLogger=WARN, F',
    'log4j.appender.F=org.apache.log4j.FileAppender',
    `log4j.appender.F.File=${join(dir, 'server.log')}`,
    'log4j.appender.F.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.F.layout.ConversionPattern=[%d] %p %m (%c)%n',
    '',
  ].join('\n'));
  const jopts = ['-Xmx384m', '-Xms128m', '-XX:+UseG1GC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true', `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`];
  const clusterId = randomUUID().replace(/-/g, '').slice(0, 22);
  const fmt = spawnSync('java', [...jopts, '-cp', cp, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props], { encoding: 'utf8' });
  if (fmt.status !== 0) throw new Error(`kafka storage format failed: ${fmt.stderr || fmt.stdout}`);

  const broker = `127.0.0.1:${port}`;
  let proc: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    if (proc && proc.exitCode === null) return;
    const started = spawn('java', [...jopts, '-cp', cp, 'kafka.Kafka', props], { stdio: 'ignore' });
    proc = started;
    await eventually(`throwaway Kafka on ${broker}`, async () => {
      if (started.exitCode !== null) throw new GiveUp(`throwaway Kafka on ${broker}: the broker exited with code ${started.exitCode}`);
      return kafkaAnswers(broker);
    }, { timeoutMs: 90_000, intervalMs: 250 });
  };

  const stop = async (): Promise<void> => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise<void>((res) => p.once('exit', () => res()));
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 20_000);
    await gone;
    clearTimeout(timer);
  };

  await start();
  return {
    brokers: [broker],
    start,
    stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
