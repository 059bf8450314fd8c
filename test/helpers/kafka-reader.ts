import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';

export interface ReadMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Reads a topic from its beginning into `messages` until stopped. */
export async function readTopic(kafka: Kafka, topic: string): Promise<{ messages: ReadMessage[]; stop(): Promise<void> }> {
  const consumer: Consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}`, retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 1000 } });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic: t, message }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
      messages.push({ topic: t, key: message.key?.toString() ?? '', value: message.value?.toString() ?? '', headers });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}

