import { createKafka, ensureTopics } from '@msched/bus';

export async function kafkaAnswers(broker: string): Promise<boolean> {
  const admin = createKafka({ brokers: [broker], clientId: 'msched-probe', partitions: 1, replicationFactor: 1 }, undefined, { retries: 0, connectionTimeout: 1500 }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function createTopics(brokers: readonly string[], names: readonly string[], partitions: number, replicationFactor: number): Promise<string[]> {
  const admin = createKafka({ brokers, clientId: 'msched-stack', partitions, replicationFactor }).admin();
  await admin.connect();
  try {
    return await ensureTopics(admin, names, { partitions, replicationFactor });
  } finally {
    await admin.disconnect();
  }
}
