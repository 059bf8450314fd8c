import type { Admin } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

/**
 * How far a consumer group is behind on each partition of its topics: the high watermark minus the
 * committed offset (a partition never committed counts from its low watermark).
 */
export async function consumerLag(admin: Admin, groupId: string, topics: readonly string[]): Promise<PartitionLag[]> {
  const out: PartitionLag[] = [];
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  for (const t of committed) {
    const ends = await admin.fetchTopicOffsets(t.topic);
    for (const p of t.partitions) {
      const end = ends.find((e) => e.partition === p.partition);
      if (!end) continue;
      const at = Number(p.offset) >= 0 ? Number(p.offset) : Number(end.low);
      out.push({ topic: t.topic, partition: p.partition, lag: Math.max(0, Number(end.high) - at) });
    }
  }
  return out;
}
