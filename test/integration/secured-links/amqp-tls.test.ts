import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Writable } from 'node:stream';
import tls from 'node:tls';
import * as amqp from 'amqplib';
import { createLogger } from '@msched/logging';
import { AmqpSink } from '@msched/publishers';
import { AMQP_URL, bindQueues, requireRabbitMQ } from '../../helpers/airavata-amqp';
import { createTestCa, TestCa } from '../../helpers/test-ca';

const logger = createLogger({ service: 'test', level: 'error', stream: new Writable({ write: (_c, _e, cb) => cb() }) });

/**
 * The publishers' RabbitMQ channel over amqps:// (MSCHED_PUBLISHERS_AMQP_URL with
 * MSCHED_PUBLISHERS_AMQP_CA_FILE): the shared RabbitMQ behind a TLS terminator whose certificate is
 * of a CA made at test time, as a broker's TLS listener with a private CA. The message arrives when
 * the CA is trusted; without it, or for a host name the certificate does not name, nothing is sent.
 */
describe('RabbitMQ over TLS (amqps://, a test CA made at test time)', function () {
  this.timeout(60000);
  let ca: TestCa;
  let terminator: tls.Server;
  let port: number;
  const exchange = `msched-tls-${randomUUID()}`;
  const queue = `${exchange}-q`;

  before(async () => {
    await requireRabbitMQ();
    ca = createTestCa('rabbitmq test CA');
    const cert = ca.issue('rabbitmq', ['DNS:localhost']);
    const broker = new URL(AMQP_URL);
    terminator = tls.createServer({ cert: cert.cert, key: cert.key }, (s) => {
      const up = net.connect(Number(broker.port || 5672), broker.hostname);
      s.pipe(up).pipe(s);
      s.on('error', () => up.destroy());
      up.on('error', () => s.destroy());
    });
    await new Promise<void>((ok) => terminator.listen(0, '127.0.0.1', ok));
    port = (terminator.address() as net.AddressInfo).port;
    await bindQueues(exchange, { [queue]: '#' });
  });
  after(async () => {
    terminator?.close();
    const conn = await amqp.connect(AMQP_URL).catch(() => undefined);
    if (conn) {
      const ch = await conn.createChannel();
      await ch.deleteQueue(queue).catch(() => undefined);
      await ch.deleteExchange(exchange).catch(() => undefined);
      await conn.close();
    }
  });

  const credentials = () => {
    const u = new URL(AMQP_URL);
    return `${u.username || 'guest'}:${u.password || 'guest'}`;
  };
  const message = (id: string) => ({
    id, key: 'gw.exp.proc', value: Buffer.from(`over TLS ${id}`), experimentId: 'exp', type: 'EXPERIMENT', contentType: 'application/x-thrift', time: Date.now(), headers: {},
  });

  it('publishes through a verified amqps:// connection with the operator CA (what MSCHED_PUBLISHERS_AMQP_CA_FILE gives the sink)', async () => {
    const sink = new AmqpSink({ channel: 'airavata-amqp', url: `amqps://${credentials()}@localhost:${port}`, exchange, logger, ca: ca.caCert });
    try {
      await sink.send([message('m1')]);
    } finally {
      await sink.close();
    }
    const conn = await amqp.connect(AMQP_URL);
    try {
      const ch = await conn.createChannel();
      const got = await ch.get(queue, { noAck: true });
      assert.ok(got, 'the message reached the queue');
      assert.equal(got.content.toString(), 'over TLS m1');
    } finally {
      await conn.close();
    }
  });

  it('sends nothing to a broker whose certificate is of an unknown CA or names another host', async () => {
    const attempt = async (url: string, withCa: boolean) => {
      const sink = new AmqpSink({ channel: 'airavata-amqp', url, exchange, logger, ...(withCa ? { ca: ca.caCert } : {}) });
      try {
        await sink.send([message(`m-${randomUUID()}`)]);
        return 'sent';
      } catch (e) {
        return (e as Error).message;
      } finally {
        await sink.close();
      }
    };
    assert.match(await attempt(`amqps://${credentials()}@localhost:${port}`, false), /self[- ]signed certificate in certificate chain|unable to (verify|get local issuer)/);
    assert.match(await attempt(`amqps://${credentials()}@127.0.0.1:${port}`, true), /IP: 127\.0\.0\.1 is not in the cert's list|does not match certificate's altnames/);
    const conn = await amqp.connect(AMQP_URL);
    try {
      const ch = await conn.createChannel();
      assert.equal((await ch.checkQueue(queue)).messageCount, 0, 'nothing was published');
    } finally {
      await conn.close();
    }
  });
});
