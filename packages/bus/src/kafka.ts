import { Kafka, logLevel, LogEntry, Admin, ITopicConfig } from 'kafkajs';
import type { Logger } from '@msched/logging';
import { kafkaSecurity, KafkaSecuritySettings } from './kafka-security';
import { fixKafkajsIdleTimer } from './kafkajs-idle-timer';

export interface KafkaSettings extends KafkaSecuritySettings {
  brokers: readonly string[];
  clientId: string;
  partitions: number;
  replicationFactor: number;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug', [logLevel.NOTHING]: 'debug',
};

/** A kafkajs client whose own logs go through winston, tagged with the kafkajs namespace. */
export function createKafka(settings: KafkaSettings, logger?: Logger, opts: { retries?: number; connectionTimeout?: number } = {}): Kafka {
  fixKafkajsIdleTimer();
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    connectionTimeout: opts.connectionTimeout ?? 3000,
    retry: { retries: opts.retries ?? 5, initialRetryTime: 200 },
    logLevel: logLevel.WARN,
    ...kafkaSecurity(settings),
    logCreator: () => (entry: LogEntry) => {
      if (!logger) return;
      const { message, ...rest } = entry.log;
      // "The group coordinator is not available" and friends are retried by kafkajs itself.
      logger.log(entry.level === logLevel.ERROR ? 'warn' : LEVELS[entry.level], `kafkajs ${entry.namespace}: ${message}`, rest);
    },
  });
}

/** Creates the missing topics; existing ones are left as they are. Returns the names created. */
export async function ensureTopics(admin: Admin, names: readonly string[], settings: Pick<KafkaSettings, 'partitions' | 'replicationFactor'>): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = names.filter((n) => !existing.has(n));
  if (missing.length === 0) return [];
  const topics: ITopicConfig[] = missing.map((topic) => ({
    topic, numPartitions: settings.partitions, replicationFactor: settings.replicationFactor,
  }));
  try {
    await admin.createTopics({ topics, waitForLeaders: true });
  } catch (e) {
    // Another process may have created them between our list and our create.
    if (!/already exists/i.test(String((e as Error).message))) throw e;
  }
  return missing;
}
