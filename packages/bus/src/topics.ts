/**
 * Every Kafka topic the meta-scheduler uses. Logical names are prefixed with MSCHED_KAFKA_TOPIC_PREFIX
 * except Airavata's own channels, whose names Airavata fixes.
 */
export interface TopicSpec {
  /** Logical name used in code. */
  readonly name: string;
  readonly doc: string;
  /** Airavata's own topic: never prefixed. */
  readonly external?: boolean;
}

export const TOPICS = {
  launch: { name: 'launch', doc: 'Accepted launches (API outbox → provisioning worker).' },
  cancel: { name: 'cancel', doc: 'Cancel requests (API outbox → provisioner and dispatcher).' },
  provision: { name: 'provision', doc: 'Provisioning stage work items (one message per stage run).' },
  provisionRetry: { name: 'provision.retry', doc: 'Provisioning stage work items waiting for their retry time.' },
  dispatch: { name: 'dispatch', doc: 'Runnable gangs (provisioner → Mesos dispatch worker).' },
  jobEnded: { name: 'job.ended', doc: 'Finished gangs (dispatcher → provisioner for output collection and cleanup).' },
  events: { name: 'events', doc: 'Versioned JSON status events for any consumer (docs/events.md).' },
  deadLetter: { name: 'dlq', doc: 'Messages whose stage ran out of attempts, with the last error.' },
  airavataMessaging: { name: 'airavata.status', doc: 'Airavata messaging Message envelopes (TBinaryProtocol), keyed by routing key.' },
  airavataJobMonitor: { name: 'helix-airavata-mq', doc: 'Airavata realtime job monitor JSON.', external: true },
  airavataMonitoringData: { name: 'monitoring-data', doc: 'Airavata job monitoring CSV.', external: true },
} as const satisfies Record<string, TopicSpec>;

export type TopicKey = keyof typeof TOPICS;

export function topicName(prefix: string, key: TopicKey): string {
  const spec: TopicSpec = TOPICS[key];
  return spec.external ? spec.name : `${prefix}${spec.name}`;
}

export function allTopicNames(prefix: string): string[] {
  return (Object.keys(TOPICS) as TopicKey[]).map((k) => topicName(prefix, k));
}
