import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { Config } from '@msched/config';
import { createKafka, decodeEnvelope, topicName } from '@msched/bus';
import { claimOutboxBatch, enqueueOutbox, notifyOutbox, withTransaction } from '@msched/db';
import { createLogger } from '@msched/logging';
import { KafkaPublisher, OutboxRelay, wakeOutboxRelays } from '@msched/outbox';
import { ensureRunTopics, requireStack } from '../../helpers/stack';
import { ownDatabase } from '../../helpers/own-database';
import { eventually } from '../../helpers/eventually';
import { readTopic, ReadMessage } from '../../helpers/kafka-reader';

const quiet = createLogger({ service: 'relay-test', silent: true });

async function enqueueMany(ds: DataSource, keys: string[], perKey: number, topic: 'launch' | 'cancel' = 'launch'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < perKey; i++) {
    for (const key of keys) ids.push((await enqueueOutbox(ds, { topic, key, type: 'test.message', payload: { key, n: i } })).id);
  }
  return ids;
}

/** Per key, the payload numbers in the order Kafka holds them. */
function sequences(messages: ReadMessage[], keys: string[]): Record<string, number[]> {
  const out: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  for (const m of messages) if (m.key in out) out[m.key].push((decodeEnvelope(Buffer.from(m.value)).payload as { n: number }).n);
  return out;
}

async function unsent(ds: DataSource, keys: string[]): Promise<number> {
  return Number((await ds.query('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND message_key = ANY($1)', [keys]))[0].n);
}

describe('outbox relay against the shared Kafka (integration)', function () {
  let cfg: Config;
  let ds: DataSource;
  const relays: OutboxRelay[] = [];
  const readers: Array<{ stop(): Promise<void> }> = [];

  before(async () => {
    await requireStack('postgres', 'kafka');
    ({ cfg, ds } = await ownDatabase('outbox'));
    await ensureRunTopics(cfg);
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await Promise.all(readers.splice(0).map((r) => r.stop()));
    // Leave nothing for the next test's relays.
    await ds.query('UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL');
  });
  after(async () => { await ds?.destroy(); });

  const relay = (over: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}) => {
    const r = new OutboxRelay({ ds, logger: quiet, topicPrefix: cfg.kafka.topicPrefix, kafka: createKafka(cfg.kafka), listenUrl: cfg.database.url, ...over });
    relays.push(r);
    return r;
  };
  const reader = async (topic: 'launch' | 'cancel' = 'launch') => {
    const r = await readTopic(createKafka(cfg.kafka), topicName(cfg.kafka.topicPrefix, topic));
    readers.push(r);
    return r.messages;
  };

  it('publishes every committed row once, in order per key, with its envelope and id, and marks it sent', async () => {
    const keys = [1, 2, 3].map((i) => `order-${i}-${randomUUID()}`);
    const ids = await enqueueMany(ds, keys, 10);
    const messages = await reader();
    await relay({ batchSize: 7 }).start();
    await eventually('all 30 messages are read back', () => messages.filter((m) => keys.includes(m.key)).length >= 30);
    const mine = messages.filter((m) => keys.includes(m.key));
    assert.equal(mine.length, 30);
    assert.deepEqual(sequences(mine, keys), Object.fromEntries(keys.map((k) => [k, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]])));
    assert.deepEqual(mine.map((m) => decodeEnvelope(Buffer.from(m.value)).id).sort(), [...ids].sort());
    assert.ok(mine.every((m) => m.headers['msched-message-id'] === decodeEnvelope(Buffer.from(m.value)).id));
    await eventually('every row is marked sent', async () => (await unsent(ds, keys)) === 0);
  });

  it('is woken by a NOTIFY from a writer in another process, not by its poll', async () => {
    const messages = await reader('cancel');
    const r = relay({ pollIntervalMs: 600_000 });
    await r.start();
    // Its first pass must be over (found nothing) before the insert, or that pass could publish the row itself.
    await eventually('an idle pass of the relay', () => r.getStats().idlePasses >= 1);
    const key = `notify-${randomUUID()}`;
    await withTransaction(ds, (tx) => enqueueOutbox(tx, { topic: 'cancel', key, type: 'test.message', payload: { n: 0 } }));
    await notifyOutbox(ds);
    await eventually('the message arrives', () => messages.some((m) => m.key === key));
  });

  it('is woken in-process by wakeOutboxRelays after a commit, without LISTEN or polling', async () => {
    const messages = await reader('cancel');
    const r = relay({ pollIntervalMs: 600_000, listenUrl: undefined });
    await r.start();
    await eventually('an idle pass of the relay', () => r.getStats().idlePasses >= 1);
    const key = `wake-${randomUUID()}`;
    await withTransaction(ds, (tx) => enqueueOutbox(tx, { topic: 'cancel', key, type: 'test.message', payload: { n: 0 } }));
    wakeOutboxRelays();
    await eventually('the message arrives', () => messages.some((m) => m.key === key));
  });

  it('lets several relays share one outbox without duplicates, keeping per-key order', async () => {
    const keys = Array.from({ length: 6 }, (_, i) => `shared-${i}-${randomUUID()}`);
    await enqueueMany(ds, keys, 15);
    const messages = await reader();
    await Promise.all([relay({ batchSize: 5 }), relay({ batchSize: 5 }), relay({ batchSize: 5 })].map((r) => r.start()));
    await eventually('all 90 messages are read back', () => messages.filter((m) => keys.includes(m.key)).length >= 90);
    await eventually('every row is marked sent', async () => (await unsent(ds, keys)) === 0);
    const mine = messages.filter((m) => keys.includes(m.key));
    assert.equal(mine.length, 90, 'no message twice');
    const expected = Array.from({ length: 15 }, (_, i) => i);
    assert.deepEqual(sequences(mine, keys), Object.fromEntries(keys.map((k) => [k, expected])));
    assert.ok(relays.filter((r) => r.getStats().published > 0).length >= 2, 'the work was shared');
  });

  it('publishes again, with the same ids, what a relay had sent when it died before its commit', async () => {
    const key = `crash-${randomUUID()}`;
    const [id] = await enqueueMany(ds, [key], 1);
    const messages = await reader();
    // A relay's pass up to the moment it dies: claimed and published, the commit never happens.
    const publisher = new KafkaPublisher(createKafka(cfg.kafka));
    await assert.rejects(withTransaction(ds, async (tx) => {
      const batch = await claimOutboxBatch(tx, 10);
      await publisher.publish(batch.map((m) => ({ topic: topicName(cfg.kafka.topicPrefix, 'launch'), key: m.key, value: m.envelope })));
      throw new Error('killed');
    }), /killed/);
    await publisher.close();
    assert.equal(await unsent(ds, [key]), 1, 'the row is still unsent');
    await relay().start();
    await eventually('the message is there twice', () => messages.filter((m) => m.key === key).length === 2);
    assert.deepEqual(messages.filter((m) => m.key === key).map((m) => decodeEnvelope(Buffer.from(m.value)).id), [id, id]);
    await eventually('the row is marked sent', async () => (await unsent(ds, [key])) === 0);
  });

  it('logs, backs off and keeps running when the database refuses a pass', async () => {
    const lines: string[] = [];
    const logger = createLogger({ service: 'relay-test', level: 'warn', format: 'json', stream: new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }) });
    const key = `dbfail-${randomUUID()}`;
    await ds.query('ALTER TABLE outbox RENAME COLUMN sent_at TO sent_at_hidden');
    let r: OutboxRelay;
    try {
      r = relay({ logger, backoff: { initialMs: 50, maxMs: 200 }, listenUrl: undefined, pollIntervalMs: 50 });
      await r.start();
      await eventually('a failed pass is logged', () => lines.some((l) => l.includes('sent_at')));
    } finally {
      await ds.query('ALTER TABLE outbox RENAME COLUMN sent_at_hidden TO sent_at');
    }
    const messages = await reader();
    await enqueueMany(ds, [key], 1);
    await eventually('the relay recovered and published', () => messages.some((m) => m.key === key));
    assert.ok(r.getStats().failedAttempts >= 1);
  });
});
