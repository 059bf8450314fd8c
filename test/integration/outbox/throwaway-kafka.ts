import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { kafkaAnswers } from '@msched/devstack';

const ROOT = resolve(__dirname, '../../../..');

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => ok(port));
    });
  });
}

export interface ThrowawayKafka {
  readonly broker: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * A single-node KRaft broker of our own, on free ports and a temporary data folder, started from the
 * local stack's Kafka classpath (deploy/local/stack.sh). For tests that stop and restart Kafka
 * without touching the shared one. The data folder survives stop/start, like a real restart.
 */
export async function throwawayKafka(): Promise<ThrowawayKafka> {
  const stateDir = process.env.MSCHED_STATE_DIR ? resolve(ROOT, process.env.MSCHED_STATE_DIR) : join(ROOT, '.state');
  const cpFile = join(stateDir, 'kafka', 'classpath.txt');
  if (!existsSync(cpFile)) throw new Error(`${cpFile} is missing: run npm run stack:up once (it resolves Kafka from Maven)`);
  const classpath = readFileSync(cpFile, 'utf8').trim();
  const dir = mkdtempSync(join(tmpdir(), 'msched-kafka-'));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const props = join(dir, 'server.properties');
  writeFileSync(props, [
    'process.roles=broker,controller', 'node.id=1', `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`, `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER', 'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT', `log.dirs=${join(dir, 'data')}`, 'num.partitions=1', 'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1', 'offsets.topic.num.partitions=1', 'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1', 'group.initial.rebalance.delay.ms=0', '',
  ].join('\n'));
  writeFileSync(join(dir, 'log4j.properties'), [
    'log4j.rootLogger=WARN, F', 'log4j.appender.F=org.apache.log4j.FileAppender', `log4j.appender.F.File=${join(dir, 'server.log')}`,
    'log4j.appender.F.layout=org.apache.log4j.PatternLayout', 'log4j.appender.F.layout.ConversionPattern=[%d] %p %m (%c)%n', '',
  ].join('\n'));
  const jvm = ['-Xmx256m', '-Xms64m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true', `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`, '-cp', classpath];
  const clusterId = randomBytes(16).toString('base64url').slice(0, 22);
  const format = spawnSync('java', [...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props], { encoding: 'utf8' });
  if (format.status !== 0) throw new Error(`formatting the throwaway broker failed: ${format.stderr || format.stdout}`);

  const broker = `127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.on('exit', killOnExit);

  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };

  return {
    broker,
    async start() {
      if (child) return;
      child = spawn('java', [...jvm, 'kafka.Kafka', props], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
      for (let i = 0; i < 120; i++) {
        if (child.exitCode !== null) throw new Error(`the throwaway broker exited: ${stderr}`);
        if (await kafkaAnswers(broker)) return;
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error(`the throwaway broker did not answer on ${broker} within 60 s`);
    },
    stop,
    async dispose() {
      await stop();
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
