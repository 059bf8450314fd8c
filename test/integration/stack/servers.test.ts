import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createKafka, ensureTopics, topicName, makeEnvelope, encodeEnvelope, decodeEnvelope } from '@msched/bus';
import { Zk, ZkEvent } from '@msched/zk';
import { kafkaAnswers } from '@msched/devstack';
import { freshDatabase, requireStack, testConfig } from '../../helpers/stack';

/** Proves each server of the local stack is real: data goes in over a real connection and comes back. */
describe('local stack servers (integration)', function () {
  const cfg = testConfig();

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
  });

  it('PostgreSQL: a row written in a transaction is read back through TypeORM', async () => {
    const ds = await freshDatabase(cfg);
    try {
      await ds.query('CREATE TABLE IF NOT EXISTS stack_probe (id uuid PRIMARY KEY, note text NOT NULL)');
      const id = randomUUID();
      await ds.transaction(async (tx) => {
        await tx.query('INSERT INTO stack_probe (id, note) VALUES ($1, $2)', [id, 'hello']);
      });
      const rows = await ds.query('SELECT note FROM stack_probe WHERE id = $1', [id]);
      assert.deepEqual(rows, [{ note: 'hello' }]);
      // A rolled-back transaction leaves nothing.
      const other = randomUUID();
      await assert.rejects(ds.transaction(async (tx) => {
        await tx.query('INSERT INTO stack_probe (id, note) VALUES ($1, $2)', [other, 'gone']);
        throw new Error('abort');
      }), /abort/);
      assert.deepEqual(await ds.query('SELECT 1 FROM stack_probe WHERE id = $1', [other]), []);
    } finally {
      await ds.destroy();
    }
  });

  it('Kafka: a message produced is consumed back with its key and envelope', async () => {
    const kafka = createKafka(cfg.kafka);
    const admin = kafka.admin();
    await admin.connect();
    const topic = topicName(cfg.kafka.topicPrefix, 'events');
    await ensureTopics(admin, [topic], cfg.kafka);
    await admin.disconnect();

    const env = makeEnvelope('probe', { n: 42 });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const consumer = kafka.consumer({ groupId: `probe-${randomUUID()}` });
    await producer.connect();
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      const got = new Promise<{ key: string; id: string; n: number }>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            const e = decodeEnvelope(message.value);
            if (e.id === env.id) resolve({ key: String(message.key), id: e.id, n: (e.payload as { n: number }).n });
          },
        });
      });
      await producer.send({ topic, acks: -1, messages: [{ key: 'exp-42', value: encodeEnvelope(env) }] });
      assert.deepEqual(await got, { key: 'exp-42', id: env.id, n: 42 });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });

  it('Kafka: a broker that does not answer is reported as down, not hung on', async () => {
    assert.equal(await kafkaAnswers('127.0.0.1:1'), false);
  });

  it('ZooKeeper: a znode is created, watched and its deletion is seen', async () => {
    const zk = await Zk.connect(cfg.zookeeper.connect, { sessionTimeoutMs: cfg.zookeeper.sessionTimeoutMs });
    const watcher = await Zk.connect(cfg.zookeeper.connect);
    try {
      const dir = `${cfg.zookeeper.root}/probe`;
      await zk.mkdirp(dir);
      // Each watch is registered (awaited) before the change it waits for, or the change could win the race.
      let childrenChanged!: (e: ZkEvent) => void;
      const seen = new Promise<ZkEvent>((resolve) => { childrenChanged = resolve; });
      await watcher.getChildren(dir, childrenChanged);
      const created = await zk.create(`${dir}/n_`, 'payload', 'ephemeral_sequential');
      assert.match(created, /\/n_\d{10}$/);
      assert.deepEqual(await seen, { type: 'children_changed', path: dir });
      assert.equal((await watcher.getData(created))?.toString(), 'payload');
      // Ephemeral: closing the owner's session removes it.
      let deleted!: (e: ZkEvent) => void;
      const gone = new Promise<ZkEvent>((resolve) => { deleted = resolve; });
      assert.equal(await watcher.exists(created, deleted), true);
      zk.close();
      assert.deepEqual(await gone, { type: 'deleted', path: created });
      assert.equal(await watcher.getData(created), null);
      await watcher.removeRecursive(cfg.zookeeper.root);
    } finally {
      zk.close();
      watcher.close();
    }
  });

  it('ZooKeeper: connecting to nothing fails with a message that says what to do', async () => {
    await assert.rejects(Zk.connect(['127.0.0.1:1'], { connectTimeoutMs: 1500 }), /did not answer within 1500 ms \(is the stack up\? npm run stack:up\)/);
  });
});
