import type { DataSource } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { topicName, TOPICS, TopicKey } from '@msched/bus';
import { ChannelListener, claimOutboxBatch, ClaimedMessage, markOutboxFailed, markOutboxSent, purgeSentOutbox, withTransaction } from '@msched/db';
import type { Logger } from '@msched/logging';
import { backoffDelay, BackoffPolicy } from '@msched/retry';
import { outboxListener } from './listener';
import { KafkaPublisher, OutgoingMessage, Publisher } from './publisher';

export interface OutboxRelayOptions {
  ds: DataSource;
  logger: Logger;
  /** Prefix of our topics (MSCHED_KAFKA_TOPIC_PREFIX). */
  topicPrefix: string;
  /** Where to publish: a kafkajs client (the relay makes an idempotent producer) or a Publisher. */
  kafka?: Kafka;
  publisher?: Publisher;
  /** Connection URL for the LISTEN connection; without it the relay only polls. */
  listenUrl?: string;
  batchSize?: number;
  pollIntervalMs?: number;
  backoff?: Partial<BackoffPolicy>;
  /** Delete rows sent longer ago than this (0 or unset: keep them). */
  retentionHours?: number;
}

/** Relays running in this process, so a writer can wake them right after its commit. */
const localRelays = new Set<OutboxRelay>();

/**
 * Call after committing outbox rows: every relay of this process looks for them at once (the
 * others find them by NOTIFY, see notifyOutbox in @msched/db, or by polling).
 */
export function wakeOutboxRelays(): void {
  for (const r of localRelays) r.notify();
}

export interface RelayStats {
  published: number;
  failedAttempts: number;
  /** Passes that found nothing to publish: after one, only a wake-up or the poll brings new rows. */
  idlePasses: number;
  lastError?: string;
  lastPublishedAt?: Date;
}

/** One pass: what was published, or why nothing could be. */
type PassResult = { published: number; failure?: Error; blocked: number };

const NOT_A_TOPIC = 'the outbox row names a topic this build does not know';

/**
 * Publishes committed outbox rows to Kafka, in order per message key, and marks them sent.
 * Wakes when a writer of this process calls wakeOutboxRelays(), on NOTIFY msched_outbox (from
 * writers elsewhere, see notifyOutbox), and every poll interval. While Kafka is
 * unreachable the rows stay in the outbox (attempts and last_error say why) and the relay backs
 * off; they flow as soon as Kafka answers again. Delivery is at least once: a relay that dies after
 * Kafka acknowledged but before its commit publishes those rows again, with the same envelope ids.
 * Any number of relays (one per service) may run against one database.
 */
export class OutboxRelay {
  private readonly publisher: Publisher;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly stats: RelayStats = { published: 0, failedAttempts: 0, idlePasses: 0 };
  private listener?: ChannelListener;
  private running?: Promise<void>;
  private stopping = false;
  private woken = false;
  private wake?: () => void;
  private purgeTimer?: NodeJS.Timeout;

  constructor(private readonly opts: OutboxRelayOptions) {
    if (!opts.publisher && !opts.kafka) throw new TypeError('an outbox relay needs kafka or a publisher');
    this.publisher = opts.publisher ?? new KafkaPublisher(opts.kafka as Kafka);
    this.batchSize = opts.batchSize ?? 200;
    this.pollIntervalMs = opts.pollIntervalMs ?? 1000;
    this.backoff = { initialMs: 200, maxMs: 10000, multiplier: 2, jitter: 0.2, ...opts.backoff };
  }

  async start(): Promise<void> {
    if (this.running) return;
    if (this.opts.listenUrl) {
      this.listener = outboxListener(this.opts.listenUrl, () => this.notify(), this.opts.logger);
      await this.listener.start();
    }
    if (this.opts.retentionHours) this.schedulePurge(this.opts.retentionHours);
    localRelays.add(this);
    this.running = this.loop();
  }

  /** Stops after the pass in progress; unsent rows stay for the next relay. */
  async stop(): Promise<void> {
    this.stopping = true;
    localRelays.delete(this);
    this.notify();
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    await this.listener?.stop();
    // A pass stuck on an unreachable Kafka is cut short by closing the producer under it.
    const settled = await Promise.race([this.running?.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 3000).unref())]);
    if (!settled) await this.publisher.close();
    await this.running;
    this.running = undefined;
    await this.publisher.close();
  }

  getStats(): Readonly<RelayStats> {
    return { ...this.stats };
  }

  /** Asks the relay to look for rows now (the NOTIFY handler; also useful after a known write). */
  notify(): void {
    this.woken = true;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      this.woken = false;
      let r: PassResult;
      try {
        r = await this.pass();
      } catch (e) {
        r = { published: 0, blocked: 0, failure: e as Error };
      }
      if (r.failure) {
        failures++;
        this.stats.failedAttempts++;
        this.stats.lastError = r.failure.message;
        const delay = backoffDelay(failures - 1, this.backoff);
        this.opts.logger.warn(`outbox relay: ${r.failure.message}; next attempt in ${delay} ms`);
        await this.sleep(delay, false);
        continue;
      }
      if (failures > 0) this.opts.logger.info(`outbox relay: publishing again after ${failures} failed attempt(s)`);
      failures = 0;
      // A full batch, or rows held back behind an older row of their key: look again at once.
      if (r.published > 0) continue;
      if (r.blocked === 0) this.stats.idlePasses++;
      await this.sleep(this.pollIntervalMs, true);
    }
  }

  /** Claims a batch, publishes it, marks it; the row locks are held until the marks commit. */
  private async pass(): Promise<PassResult> {
    let failure: Error | undefined;
    const result = await withTransaction(this.opts.ds, async (tx) => {
      const batch = await claimOutboxBatch(tx, this.batchSize);
      if (batch.length === 0) return { published: 0, blocked: 0 };
      const known = batch.filter((m) => Object.prototype.hasOwnProperty.call(TOPICS, m.topic));
      const unknown = batch.filter((m) => !known.includes(m));
      if (unknown.length) {
        this.opts.logger.error(`outbox relay: ${unknown.length} row(s) name unknown topics (${[...new Set(unknown.map((m) => m.topic))].join(', ')}); they and later rows of their keys wait`);
        await markOutboxFailed(tx, unknown.map((m) => m.seq), NOT_A_TOPIC);
      }
      try {
        await this.publisher.publish(known.map((m) => this.toKafka(m)));
      } catch (e) {
        failure = e as Error;
        await markOutboxFailed(tx, known.map((m) => m.seq), failure.message);
        return { published: 0, blocked: unknown.length };
      }
      await markOutboxSent(tx, known.map((m) => m.seq));
      return { published: known.length, blocked: unknown.length };
    });
    if (result.published) {
      this.stats.published += result.published;
      this.stats.lastPublishedAt = new Date();
    }
    return { ...result, failure };
  }

  private toKafka(m: ClaimedMessage): OutgoingMessage {
    return {
      topic: topicName(this.opts.topicPrefix, m.topic as TopicKey),
      key: m.key,
      value: m.envelope,
      headers: { 'content-type': 'application/json', 'msched-message-id': m.id },
    };
  }

  /** Waits `ms`; a NOTIFY cuts the wait short when `wakeable` (not while backing off from Kafka). */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (this.stopping || (wakeable && this.woken)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = () => { if (wakeable || this.stopping) done(); };
    });
  }

  private schedulePurge(hours: number): void {
    const purge = async () => {
      try {
        const n = await purgeSentOutbox(this.opts.ds, new Date(Date.now() - hours * 3_600_000));
        if (n) this.opts.logger.info(`outbox relay: deleted ${n} row(s) sent more than ${hours} h ago`);
      } catch (e) {
        this.opts.logger.warn(`outbox relay: purging sent rows failed: ${(e as Error).message}`);
      }
    };
    this.purgeTimer = setInterval(() => void purge(), 10 * 60_000);
    this.purgeTimer.unref();
  }
}
