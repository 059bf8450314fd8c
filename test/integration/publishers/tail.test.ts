import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createKafka, topicName } from '@msched/bus';
import { eventsTailCommand, followEvents } from '@msched/publishers';
import { requireStack, testConfig } from '../../helpers/stack';
import { chainEnvelopes, createTopics, experimentIds, mpiChain, relay } from './support';
import { eventually } from '../../helpers/eventually';

function lines(): { stream: Writable; lines: string[] } {
  const out: string[] = [];
  let partial = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      out.push(...parts);
      cb();
    },
  });
  return { stream, lines: out };
}

describe('publishers: msched events tail over real Kafka (integration)', () => {
  const prefix = `${testConfig().kafka.topicPrefix}pubtail.`;
  const cfg = testConfig({ MSCHED_KAFKA_TOPIC_PREFIX: prefix });
  const events = topicName(prefix, 'events');
  const kafka = createKafka(cfg.kafka);
  const env = { ...process.env, MSCHED_ENV: 'test', MSCHED_KAFKA_TOPIC_PREFIX: prefix, MSCHED_KAFKA_BROKERS: cfg.kafka.brokers.join(',') };
  const failed = experimentIds('tail-failed');
  const other = experimentIds('tail-other');
  const failedEnvs = chainEnvelopes(failed, mpiChain('failed'));

  before(async () => {
    await requireStack('kafka');
    await createTopics(kafka, [events]);
    await relay(kafka, events, failedEnvs);
    await relay(kafka, events, chainEnvelopes(other, mpiChain('completed').slice(0, 3)));
  });

  it('--experiment ID --from-beginning prints that experiment\'s chain, one readable line per event, reasons included', async () => {
    const out = lines();
    const err = lines();
    const stop = new AbortController();
    const exit = eventsTailCommand(['--experiment', failed.experimentId, '--from-beginning'], { stdout: out.stream, stderr: err.stream, env, signal: stop.signal });
    await eventually('the whole failed chain', () => out.lines.length >= failedEnvs.length, { state: () => out.lines });
    stop.abort();
    assert.equal(await exit, 0);
    assert.equal(out.lines.length, failedEnvs.length);
    assert.ok(out.lines.every((l) => l.includes(failed.experimentId)));
    assert.match(out.lines[0], new RegExp(`^2026-11-22T10:00:00.000Z  ${failed.experimentId}  experiment  ${failed.experimentId}  CREATED$`));
    assert.match(out.lines[out.lines.length - 1], /  experiment  \S+  FAILED  reason: rank 1 exited with code 3 on agent-2$/);
    assert.ok(out.lines.some((l) => /  job         JOB-\S+  FAILED  name=msched-\S+  reason: rank 1 exited/.test(l)));
    assert.match(err.lines.join('\n'), new RegExp(`following ${events.replace(/\./g, '\\.')} for experiment`));
  });

  it('follows from now: earlier events are not shown, new ones are, --json prints the envelopes', async () => {
    const printed: string[] = [];
    const follower = await followEvents({ kafka, topic: events, groupPrefix: `${prefix}tail.`, json: true, write: (l) => printed.push(l) });
    try {
      const live = experimentIds('tail-live');
      const envs = chainEnvelopes(live, mpiChain('completed').slice(0, 2));
      await relay(kafka, events, envs);
      await eventually('the live events', () => printed.length >= envs.length, { state: () => printed });
      assert.deepEqual(printed.map((l) => JSON.parse(l)), envs);
    } finally {
      await follower.stop();
    }
  });

  it('refuses unknown arguments with the usage (exit 2)', async () => {
    const out = lines();
    const err = lines();
    assert.equal(await eventsTailCommand(['--bogus'], { stdout: out.stream, stderr: err.stream, env }), 2);
    assert.match(err.lines.join('\n'), /unknown argument "--bogus"[\s\S]*usage: msched events tail/);
  });
});
