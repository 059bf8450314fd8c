import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createKafka, Envelope, topicName } from '@msched/bus';
import { createLogger } from '@msched/logging';
import { Publishers, startPublishers } from '@msched/publishers';
import { requireStack, testConfig } from '../../helpers/stack';
import {
  AMQP_URL, requireRabbitMQ, bindQueues, chainEnvelopes, collectTopics, createTopics, decodeAiravata, deleteAmqp, drainQueue,
  expectedAiravata, experimentIds, ExperimentIds, mpiChain, Outcome, queueDepth, Received, relay, Step, taskIdOf,
} from './support';
import { eventually } from '../../helpers/eventually';

describe('publishers: status chains to Airavata over real Kafka and RabbitMQ (integration)', () => {
  const prefix = `${testConfig().kafka.topicPrefix}pubchain.`;
  const exchange = `${prefix}status_exchange`;
  const queueAll = `${prefix}all`;
  const queueProcesses = `${prefix}orchestrator`;
  const cfg = testConfig({
    MSCHED_KAFKA_TOPIC_PREFIX: prefix,
    MSCHED_PUBLISHERS: 'airavata-kafka,airavata-amqp,job-monitor,monitoring-data',
    MSCHED_PUBLISHERS_JOB_MONITOR_TOPIC: `${prefix}helix-airavata-mq`,
    MSCHED_PUBLISHERS_MONITORING_TOPIC: `${prefix}monitoring-data`,
    MSCHED_PUBLISHERS_AMQP_URL: AMQP_URL,
    MSCHED_PUBLISHERS_AMQP_EXCHANGE: exchange,
  });
  const events = topicName(prefix, 'events');
  const messaging = topicName(prefix, 'airavataMessaging');
  const jobMonitor = cfg.publishers.jobMonitorTopic;
  const monitoring = cfg.publishers.monitoringTopic;
  const kafka = createKafka(cfg.kafka);
  // Every log line the publishers write, at info level, to check that the AMQP password never shows.
  const logLines: string[] = [];
  const logger = createLogger({ service: 'test', level: 'info', format: 'json', stream: new Writable({ write(c, _e, cb) { logLines.push(String(c)); cb(); } }) });

  const runs: Array<{ outcome: Outcome; ids: ExperimentIds; steps: Step[]; envs: Envelope[] }> = (['completed', 'failed', 'canceled'] as const).map((outcome) => {
    const ids = experimentIds(`mpi-${outcome}`);
    const steps = mpiChain(outcome);
    return { outcome, ids, steps, envs: chainEnvelopes(ids, steps) };
  });
  const total = runs.reduce((n, r) => n + r.steps.length, 0);
  let publishers: Publishers | undefined;
  let collected: { messages: Received[]; stop(): Promise<void> } | undefined;

  before(async () => {
    await requireStack('kafka');
    await requireRabbitMQ();
    await createTopics(kafka, [events, messaging, jobMonitor, monitoring]);
    await bindQueues(exchange, { [queueAll]: '#', [queueProcesses]: '*.*.*' });
    collected = await collectTopics(kafka, [messaging, jobMonitor, monitoring]);
    publishers = await startPublishers(cfg, logger);
    for (const r of runs) await relay(kafka, events, r.envs);
  });

  after(async () => {
    await publishers?.stop();
    await collected?.stop();
    await deleteAmqp(exchange, [queueAll, queueProcesses]).catch((e: Error) => console.warn(`could not delete the test exchange and queues: ${e.message}`));
  });

  const on = (topic: string, experimentId: string) => collected!.messages.filter((m) => m.topic === topic && m.headers.experimentId === experimentId);

  it('runs the four channels the configuration names, and never shows the AMQP password', () => {
    assert.deepEqual(publishers!.channels.map((c) => c.channel), ['airavata-kafka', 'airavata-amqp', 'job-monitor', 'monitoring-data']);
    assert.equal(publishers!.channels[1].target, `amqp://127.0.0.1:5672 exchange ${exchange}`);
    assert.ok(logLines.some((l) => l.includes(`publishing ${events} to amqp://127.0.0.1:5672 exchange ${exchange}`)));
    assert.ok(!logLines.some((l) => /guest:guest|:guest@/.test(l)), 'no log line carries the AMQP credentials');
  });

  it('Airavata messaging on Kafka: each experiment\'s whole chain, in order, keyed by routing key, ids = envelope ids', async () => {
    await eventually('every messaging event on Kafka', () => runs.every((r) => on(messaging, r.ids.experimentId).length >= r.steps.length),
      { state: () => runs.map((r) => on(messaging, r.ids.experimentId).length) });
    for (const r of runs) {
      const got = on(messaging, r.ids.experimentId);
      const decoded = got.map((m) => decodeAiravata(m.value));
      assert.deepEqual(decoded.map((d) => d.summary), expectedAiravata(r.ids, r.steps), `${r.outcome} chain`);
      // The Kafka key is Airavata's routing key: the ids inside the event, joined by dots.
      assert.deepEqual(got.map((m) => m.key), decoded.map((d) => d.summary.split(' ')[1]));
      assert.deepEqual(decoded.map((d) => d.messageId), r.envs.map((e) => e.id));
      assert.deepEqual(got.map((m) => m.headers.messageId), r.envs.map((e) => e.id));
      assert.deepEqual(decoded.map((d) => d.updatedTime), r.envs.map((e) => Date.parse((e.payload as { time: string }).time)));
      // One experiment, one partition: that is what keeps the chain in order.
      assert.equal(new Set(got.map((m) => m.partition)).size, 1);
    }
  });

  it('the MPI experiment goes CREATED → … → COMPLETED with process states and job SUBMITTED → ACTIVE → COMPLETE', () => {
    const r = runs.find((x) => x.outcome === 'completed')!;
    const decoded = on(messaging, r.ids.experimentId).map((m) => decodeAiravata(m.value).summary);
    const states = (type: string) => decoded.filter((s) => s.startsWith(`${type} `)).map((s) => s.split(' ')[2]);
    assert.deepEqual(states('EXPERIMENT'), ['CREATED', 'VALIDATED', 'EXECUTING', 'COMPLETED']);
    assert.deepEqual(states('PROCESS'), ['CREATED', 'VALIDATED', 'STARTED', 'PRE_PROCESSING', 'CONFIGURING_WORKSPACE', 'INPUT_DATA_STAGING', 'EXECUTING', 'MONITORING', 'OUTPUT_DATA_STAGING', 'POST_PROCESSING', 'COMPLETED']);
    assert.deepEqual(states('JOB'), ['SUBMITTED', 'ACTIVE', 'COMPLETE']);
    assert.deepEqual(states('PROCESSOUTPUT'), ['stdout,energy']);
    assert.ok(decoded.includes(`JOB seagrid.${r.ids.experimentId}.${r.ids.processId}.${taskIdOf(r.ids, 'JOB_SUBMISSION')}.${r.ids.jobId} ACTIVE`));
  });

  it('FAILED chains carry the reason, CANCELED chains end CANCELED', () => {
    const failed = runs.find((x) => x.outcome === 'failed')!;
    const fmsgs = on(messaging, failed.ids.experimentId);
    const last4 = fmsgs.slice(-4);
    assert.deepEqual(last4.map((m) => decodeAiravata(m.value).summary.replace(/ .* /, ' ')), ['JOB FAILED', 'TASK FAILED', 'PROCESS FAILED', 'EXPERIMENT FAILED']);
    for (const m of last4) assert.deepEqual([m.headers.state, m.headers.reason], ['FAILED', 'rank 1 exited with code 3 on agent-2']);
    assert.equal(fmsgs[0].headers.reason, undefined);

    const canceled = runs.find((x) => x.outcome === 'canceled')!;
    const csum = on(messaging, canceled.ids.experimentId).map((m) => decodeAiravata(m.value).summary.replace(/ .* /, ' '));
    assert.deepEqual(csum.slice(-6), ['EXPERIMENT CANCELING', 'PROCESS CANCELLING', 'JOB CANCELED', 'TASK CANCELED', 'PROCESS CANCELED', 'EXPERIMENT CANCELED']);
  });

  it('RabbitMQ status exchange: the same chains on a `#` queue; a `*.*.*` queue (the orchestrator\'s) gets process events only', async () => {
    const all = await drainQueue(queueAll, total);
    for (const r of runs) {
      const mine = all.filter((m) => m.headers.experimentId === r.ids.experimentId);
      const decoded = mine.map((m) => decodeAiravata(m.body));
      assert.deepEqual(decoded.map((d) => d.summary), expectedAiravata(r.ids, r.steps), `${r.outcome} chain on RabbitMQ`);
      assert.deepEqual(mine.map((m) => m.routingKey), decoded.map((d) => d.summary.split(' ')[1]));
      assert.deepEqual(mine.map((m) => m.messageId), r.envs.map((e) => e.id));
      assert.deepEqual(decoded.map((d) => d.messageId), r.envs.map((e) => e.id));
      if (r.outcome === 'failed') assert.equal(mine[mine.length - 1].headers.reason, 'rank 1 exited with code 3 on agent-2');
    }
    // Every message reached `#` already, and the exchange routes one message to both queues at once.
    const processSteps = runs.reduce((n, r) => n + r.steps.filter((s) => s.entity === 'process').length, 0);
    assert.equal(await queueDepth(queueProcesses), processSteps);
    const procs = await drainQueue(queueProcesses, processSteps);
    assert.ok(procs.every((m) => m.routingKey.split('.').length === 3 && decodeAiravata(m.body).summary.startsWith('PROCESS ')));
    for (const r of runs) {
      assert.deepEqual(procs.filter((m) => m.headers.experimentId === r.ids.experimentId).map((m) => decodeAiravata(m.body).summary),
        expectedAiravata(r.ids, r.steps).filter((s) => s.startsWith('PROCESS ')));
    }
  });

  it('job monitor topics: helix-airavata-mq JSON and monitoring-data CSV per job status, in order', async () => {
    const jobSteps = (r: (typeof runs)[number]) => r.steps.filter((s) => s.entity === 'job');
    await eventually('every job status on the job-monitor topics', () => runs.every((r) =>
      on(jobMonitor, r.ids.experimentId).length >= jobSteps(r).length && on(monitoring, r.ids.experimentId).length >= jobSteps(r).length));
    const monitorName: Record<string, string> = { SUBMITTED: 'SUBMITTED', ACTIVE: 'RUNNING', COMPLETE: 'COMPLETED', FAILED: 'FAILED', CANCELED: 'CANCELED' };
    for (const r of runs) {
      const task = taskIdOf(r.ids, 'JOB_SUBMISSION');
      const helix = on(jobMonitor, r.ids.experimentId);
      assert.deepEqual(helix.map((m) => JSON.parse(m.value.toString())), jobSteps(r).map((s) => ({ jobName: r.ids.jobName, status: monitorName[s.state], task })));
      assert.ok(helix.every((m) => m.key === r.ids.jobId));
      const csv = on(monitoring, r.ids.experimentId);
      assert.deepEqual(csv.map((m) => m.value.toString()), jobSteps(r).map((s) => `${r.ids.jobId},${r.ids.jobName},${s.state},msched`));
      assert.ok(csv.every((m) => m.key === r.ids.jobId));
    }
  });
});
