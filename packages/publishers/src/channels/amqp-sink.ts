import * as amqp from 'amqplib';
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { rootCertificates } from 'node:tls';
import type { Logger } from '@msched/logging';
import { ChannelUnavailableError } from '../errors';
import type { OutboundMessage } from '../encode/outbound';
import type { Sink } from './sink';

export interface AmqpSinkOptions {
  readonly channel: string;
  /** amqp(s)://user:password@host:port/vhost — a secret: only `amqpTarget(url)` is ever shown. */
  readonly url: string;
  /** Durable topic exchange (Airavata's `status_exchange`). */
  readonly exchange: string;
  readonly logger: Logger;
  /** How long to wait for the broker's confirms before giving the connection up. */
  readonly confirmTimeoutMs?: number;
  /** AMQP `app-id` of the messages. */
  readonly appId?: string;
  /** Extra CA (PEM) trusted for amqps:// brokers besides the system CAs. */
  readonly ca?: string;
}

/** The URL without credentials or query, for logs. */
export function amqpTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'amqp://<unparseable url>';
  }
}

/**
 * Publishes to a durable topic exchange over a confirm channel: persistent messages, the routing
 * key as the message key, resolved only when RabbitMQ confirmed every message. Any error (broker
 * stopped, connection closed, nack, no confirm in time) closes the connection; the next send
 * reconnects and declares the exchange again.
 */
export class AmqpSink implements Sink {
  readonly target: string;
  private conn: ChannelModel | undefined;
  private ch: ConfirmChannel | undefined;

  constructor(private readonly opts: AmqpSinkOptions) {
    this.target = `${amqpTarget(opts.url)} exchange ${opts.exchange}`;
  }

  async send(messages: readonly OutboundMessage[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      const ch = await this.connected();
      const confirms = messages.map((m) => new Promise<void>((resolve, reject) => {
        ch.publish(this.opts.exchange, m.key, m.value, {
          persistent: true,
          contentType: m.contentType,
          messageId: m.id,
          type: m.type,
          timestamp: Math.floor(m.time / 1000),
          appId: this.opts.appId ?? 'msched',
          headers: { ...m.headers },
        }, (err) => (err ? reject(err instanceof Error ? err : new Error(`broker refused the message: ${String(err)}`)) : resolve()));
      }));
      await withTimeout(Promise.all(confirms), this.opts.confirmTimeoutMs ?? 10_000, 'no publisher confirm from RabbitMQ');
    } catch (e) {
      await this.drop();
      throw new ChannelUnavailableError(this.opts.channel, e);
    }
  }

  async close(): Promise<void> {
    await this.drop();
  }

  private async connected(): Promise<ConfirmChannel> {
    if (this.ch) return this.ch;
    const conn = await amqp.connect(this.opts.url, {
      timeout: 5000, clientProperties: { connection_name: `msched ${this.opts.channel}` },
      // amqps:// is TLS with the host name verified; an operator's CA is added to the system's.
      ...(this.opts.ca ? { ca: [...rootCertificates, this.opts.ca] } : {}),
    });
    // Without these listeners an 'error' event would crash the process; the next send reconnects.
    conn.on('error', (e: Error) => this.opts.logger.warn(`RabbitMQ connection error: ${e.message}`, { channel: this.opts.channel }));
    conn.on('close', () => this.forget(conn));
    try {
      const ch = await conn.createConfirmChannel();
      ch.on('error', (e: Error) => this.opts.logger.warn(`RabbitMQ channel error: ${e.message}`, { channel: this.opts.channel }));
      ch.on('close', () => this.forget(conn));
      await ch.assertExchange(this.opts.exchange, 'topic', { durable: true });
      this.conn = conn;
      this.ch = ch;
      this.opts.logger.info(`connected to ${this.target}`, { channel: this.opts.channel });
      return ch;
    } catch (e) {
      await conn.close().catch(() => undefined);
      throw e;
    }
  }

  private forget(conn: ChannelModel): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    this.ch = undefined;
  }

  private async drop(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    this.ch = undefined;
    await conn?.close().catch(() => undefined);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
