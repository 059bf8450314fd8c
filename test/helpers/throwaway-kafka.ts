import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, kafkaAnswers } from '@msched/devstack';
import { eventually, GiveUp } from './eventually';

/**
 * A single-node Kafka (KRaft) of a test's own, on free ports, for outage tests: stop it and start it
 * again without touching the shared broker other suites use. Java and the Kafka jars come from the
 * local stack (deploy/local/stack.sh resolves them into .state/kafka/classpath.txt). The data folder
 * survives stop/start, as a real broker's disk does; `destroy` removes it.
 */
export interface ThrowawayKafka {
  /** The plaintext listener (also used to see that the broker is up). */
  readonly brokers: string[];
  /** With `secure`: the SASL_SSL listener (TLS with the given certificate, SASL/SCRAM-SHA-256). */
  readonly secureBrokers: string[];
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


export interface SecureListenerOptions {
  /** PEM certificate and PKCS#8 key of the broker (e.g. from test/helpers/test-ca.ts). */
  cert: string;
  key: string;
  /** A SCRAM-SHA-256 user created with the cluster. */
  scram: { username: string; password: string };
}

export async function startThrowawayKafka(o: { secure?: SecureListenerOptions } = {}): Promise<ThrowawayKafka> {
  const cp = classpath();
  const dir = mkdtempSync(join(tmpdir(), 'msched-kafka-'));
  const port = await freePort();
  const ctrl = await freePort();
  const securePort = o.secure ? await freePort() : 0;
  const props = join(dir, 'server.properties');
  if (o.secure) writeFileSync(join(dir, 'broker.pem'), `${o.secure.key.trim()}\n${o.secure.cert.trim()}\n`, { mode: 0o600 });
  const secure = o.secure ? [
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${join(dir, 'broker.pem')}`,
    'sasl.enabled.mechanisms=SCRAM-SHA-256',
    'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
  ] : [];
  const secureListener = o.secure ? `,SASL_SSL://127.0.0.1:${securePort}` : '';
  writeFileSync(props, [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${ctrl}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${ctrl}${secureListener}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}${secureListener}`,
    'controller.listener.names=CONTROLLER',
    `listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${o.secure ? ',SASL_SSL:SASL_SSL' : ''}`,
    ...secure,
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
  const scram = o.secure ? ['--add-scram', `SCRAM-SHA-256=[name=${o.secure.scram.username},password=${o.secure.scram.password}]`] : [];
  const fmt = spawnSync('java', [...jopts, '-cp', cp, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props, ...scram], { encoding: 'utf8' });
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
    secureBrokers: o.secure ? [`127.0.0.1:${securePort}`] : [],
    start,
    stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
