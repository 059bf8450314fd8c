import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, kafkaSecurity } from '@msched/bus';
import { requireStack, testConfig } from '../../helpers/stack';
import { createTestCa, TestCa } from '../../helpers/test-ca';
import { startThrowawayKafka, ThrowawayKafka } from '../../helpers/throwaway-kafka';

/**
 * MSCHED_KAFKA_TLS + MSCHED_KAFKA_SASL_MECHANISM=scram-sha-256 against a throwaway broker whose
 * SASL_SSL listener has a certificate of a CA made at test time and one SCRAM user. The settings
 * are the services' (createKafka of their config), so this is what the API, provisioner and
 * dispatcher do.
 */
describe('Kafka over TLS with SASL/SCRAM (throwaway broker, test CA)', function () {
  this.timeout(180000);
  let ca: TestCa;
  let kafka: ThrowawayKafka;
  let dir: string;

  before(async function () {
    await requireStack('kafka'); // the shared stack resolved Kafka's jars
    ca = createTestCa();
    kafka = await startThrowawayKafka({ secure: { ...ca.issue('kafka', ['DNS:localhost', 'IP:127.0.0.1']), scram: { username: 'msched', password: 'scram-secret' } } });
    dir = mkdtempSync(join(tmpdir(), 'msched-kafka-secret-'));
    writeFileSync(join(dir, 'password'), 'scram-secret\n', { mode: 0o600 });
  });
  after(async () => { await kafka?.destroy(); });

  const settings = (env: Record<string, string>) => testConfig({
    MSCHED_KAFKA_BROKERS: kafka.secureBrokers.join(','), MSCHED_KAFKA_TLS: 'true', MSCHED_KAFKA_CA_FILE: ca.caCertFile,
    MSCHED_KAFKA_SASL_MECHANISM: 'scram-sha-256', MSCHED_KAFKA_SASL_USERNAME: 'msched', MSCHED_KAFKA_SASL_PASSWORD_FILE: join(dir, 'password'), ...env,
  }).kafka;

  it('creates a topic, produces and consumes through the SASL_SSL listener', async () => {
    const k = createKafka(settings({}), undefined, { retries: 1, connectionTimeout: 5000 });
    const admin = k.admin();
    await admin.connect();
    const producer = k.producer();
    const consumer = k.consumer({ groupId: 'msched-tls-test' });
    try {
      await admin.createTopics({ topics: [{ topic: 'secured', numPartitions: 1 }], waitForLeaders: true });
      await producer.connect();
      await producer.send({ topic: 'secured', messages: [{ key: 'k', value: 'over TLS and SCRAM' }] });
      await consumer.connect();
      await consumer.subscribe({ topic: 'secured', fromBeginning: true });
      const got = await new Promise<string>((resolve) => { void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) }); });
      assert.equal(got, 'over TLS and SCRAM');
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('is refused with a wrong password, without TLS, and with a CA that did not sign the broker', async () => {
    const fails = async (s: ReturnType<typeof settings>) => {
      const admin = createKafka(s, undefined, { retries: 0, connectionTimeout: 3000 }).admin();
      try {
        await admin.connect();
        await admin.listTopics();
        return 'connected';
      } catch (e) {
        return (e as Error).message;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    };
    assert.match(await fails(settings({ MSCHED_KAFKA_SASL_PASSWORD_FILE: '', MSCHED_KAFKA_SASL_PASSWORD: 'wrong' })), /SASL SCRAM SHA256 authentication failed/i);
    // The TLS listener drops a client that speaks plaintext to it.
    assert.match(await fails(settings({ MSCHED_KAFKA_TLS: 'false', MSCHED_KAFKA_CA_FILE: '' })), /Closed connection|Connection (error|timeout)/);
    const other = createTestCa('another CA');
    assert.match(await fails(settings({ MSCHED_KAFKA_CA_FILE: other.caCertFile })), /self[- ]signed certificate in certificate chain|unable to verify/i);
  });

  it('names the setting or file when the security settings cannot work, never the password', () => {
    assert.throws(() => kafkaSecurity({ tls: false, caFile: ca.caCertFile }), /set MSCHED_KAFKA_TLS=true/);
    assert.throws(() => kafkaSecurity({ saslMechanism: 'scram-sha-512', saslUsername: 'u' }), /needs MSCHED_KAFKA_SASL_USERNAME and a password/);
    assert.throws(() => kafkaSecurity({ saslMechanism: 'plain', saslUsername: 'u', saslPassword: 'p4ss' }), (e: Error) => /in clear/.test(e.message) && !e.message.includes('p4ss'));
    assert.throws(() => kafkaSecurity({ saslMechanism: 'scram-sha-256', saslUsername: 'u', saslPasswordFile: join(dir, 'nope') }), /cannot read MSCHED_KAFKA_SASL_PASSWORD_FILE: ENOENT/);
  });
});
