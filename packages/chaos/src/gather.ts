import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import amqp from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { Zk } from '@msched/zk';
import type { AgentFree, GangDemand } from './fit-at-kill';
import type { ChannelMessage, DbExperiment, LeaderKillRecord, MasterTask, ProcessSighting } from './histories';

/** The job database's view of every experiment of the run. */
export async function readJobDb(url: string, dataRoot: string, gatewayId: string): Promise<DbExperiment[]> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const exps = (await db.query('SELECT id, state FROM experiments ORDER BY created_at')).rows as { id: string; state: string }[];
    const procs = (await db.query('SELECT experiment_id, state FROM processes')).rows as { experiment_id: string; state: string }[];
    const jobs = (await db.query(`SELECT id, experiment_id, attempt, state, coalesce((gang_spec->>'ranks')::int, 0) AS ranks, settled_at FROM jobs ORDER BY attempt`)).rows as { id: string; experiment_id: string; attempt: number; state: string; ranks: number; settled_at: Date | null }[];
    const tasks = (await db.query('SELECT id, job_id, ranks, state, agent_id, sandbox_path, created_at FROM tasks')).rows as { id: string; job_id: string; ranks: number[]; state: string; agent_id: string | null; sandbox_path: string | null; created_at: Date }[];
    const hist = (await db.query('SELECT id::text AS id, entity_type, entity_id, experiment_id, state, at FROM status_history ORDER BY id')).rows as { id: string; entity_type: string; entity_id: string; experiment_id: string; state: string; at: Date }[];
    return exps.map((e) => {
      const dir = join(dataRoot, gatewayId, e.id);
      return {
        id: e.id,
        state: e.state,
        processStates: procs.filter((p) => p.experiment_id === e.id).map((p) => p.state),
        jobs: jobs.filter((j) => j.experiment_id === e.id).map((j) => ({
          id: j.id, attempt: j.attempt, state: j.state, ranks: j.ranks, settledAt: j.settled_at ? j.settled_at.getTime() : null,
          tasks: tasks.filter((t) => t.job_id === j.id).map((t) => ({ id: t.id, ranks: t.ranks, state: t.state, agentId: t.agent_id, sandboxPath: t.sandbox_path, createdAt: t.created_at.getTime() })),
        })),
        history: hist.filter((r) => r.experiment_id === e.id).map((r) => ({ id: Number(r.id), entityType: r.entity_type, entityId: r.entity_id, state: r.state, at: r.at.getTime() })),
        dataFiles: existsSync(dir) ? readdirSync(dir) : [],
      };
    });
  } finally {
    await db.end();
  }
}

/** For each leader kill: the gangs queued before it and not yet placed, and when their first task was created. */
export async function readLeaderKillPlacements(url: string, kills: ReadonlyArray<{ at: number; free?: AgentFree[] }>): Promise<LeaderKillRecord[]> {
  if (!kills.length) return [];
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const rows = (await db.query(`
      SELECT j.id, j.gang_spec, (SELECT min(at) FROM status_history h WHERE h.entity_type = 'job' AND h.entity_id = j.id AND h.state = 'QUEUED') AS queued,
             (SELECT min(created_at) FROM tasks t WHERE t.job_id = j.id) AS placed,
             (SELECT min(at) FROM status_history h WHERE h.entity_type = 'job' AND h.entity_id = j.id AND h.state IN ('CANCELED', 'FAILED', 'COMPLETE')) AS ended
      FROM jobs j`)).rows as { id: string; gang_spec: Partial<GangDemand> | null; queued: Date | null; placed: Date | null; ended: Date | null }[];
    const demand = (g: Partial<GangDemand> | null): GangDemand | undefined => (g && g.ranks && g.cpusPerRank ? {
      ranks: g.ranks, cpusPerRank: g.cpusPerRank, memMbPerRank: g.memMbPerRank ?? 0, ...(g.nodeCount ? { nodeCount: g.nodeCount } : {}),
    } : undefined);
    return kills.map(({ at, free }) => ({
      at,
      ...(free ? { free } : {}),
      waiting: rows.filter((r) => r.queued && r.queued.getTime() < at && (!r.placed || r.placed.getTime() > at) && (!r.ended || r.ended.getTime() > at))
        .sort((a, b) => (a.queued?.getTime() ?? 0) - (b.queued?.getTime() ?? 0))
        .map((r) => ({ jobId: r.id, placedAt: r.placed ? r.placed.getTime() : null, ...(demand(r.gang_spec) ? { demand: demand(r.gang_spec) } : {}) })),
    }));
  } finally {
    await db.end();
  }
}

/** Every message of a topic from the beginning, in partition order (one experiment's messages share a partition). */
export async function readTopic(brokers: string[], topic: string, decode: (m: { key: Buffer | null; value: Buffer | null; headers: Record<string, string> }) => ChannelMessage | null): Promise<ChannelMessage[]> {
  const kafka = new Kafka({ brokers, clientId: 'chaos-checker', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const want = new Map(ends.map((p) => [p.partition, Number(p.high)]));
  const byPartition = new Map<number, ChannelMessage[]>();
  const done = new Set<number>([...want].filter(([, high]) => high === 0).map(([p]) => p));
  if (done.size === want.size) return [];
  const consumer = kafka.consumer({ groupId: `chaos-checker-${process.pid}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reading ${topic} did not finish in 120 s`)), 120_000);
    consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = Buffer.isBuffer(v) ? v.toString() : String(v);
        const m = decode({ key: message.key, value: message.value, headers });
        if (m) byPartition.set(partition, [...(byPartition.get(partition) ?? []), m]);
        if (Number(message.offset) + 1 >= (want.get(partition) ?? 0)) done.add(partition);
        if (done.size >= want.size) { clearTimeout(timer); resolve(); }
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  return [...byPartition.keys()].sort((a, b) => a - b).flatMap((p) => byPartition.get(p)!);
}

export function decodeEvent(m: { value: Buffer | null }): ChannelMessage | null {
  if (!m.value) return null;
  const e = JSON.parse(m.value.toString()) as { id: string; type: string; payload: { entity?: string; state?: string; experimentId: string } };
  return { messageId: e.id, experimentId: e.payload.experimentId, type: e.type === 'status.changed' ? `status.changed:${e.payload.entity}` : e.type, state: e.payload.state ?? '' };
}

export function decodeAiravataHeaders(m: { headers: Record<string, string> }): ChannelMessage | null {
  const h = m.headers;
  if (!h.messageId) return null;
  return { messageId: h.messageId, experimentId: h.experimentId, type: h.messageType, state: h.state ?? '' };
}

/** Everything the run's RabbitMQ queue received, in delivery order. */
export async function drainRabbit(url: string, queue: string): Promise<ChannelMessage[]> {
  const conn = await amqp.connect(url);
  const ch = await conn.createChannel();
  const out: ChannelMessage[] = [];
  try {
    for (;;) {
      const m = await ch.get(queue, { noAck: true });
      if (!m) break;
      const h = (m.properties.headers ?? {}) as Record<string, unknown>;
      out.push({ messageId: String(h.messageId ?? m.properties.messageId), experimentId: String(h.experimentId ?? ''), type: String(h.messageType ?? m.properties.type), state: String(h.state ?? '') });
    }
  } finally {
    await ch.close().catch(() => undefined);
    await conn.close().catch(() => undefined);
  }
  return out;
}

/** Tasks of our framework as the leading master records them (running, completed, unreachable). */
export async function readMasterTasks(masterUrls: readonly string[]): Promise<{ tasks: MasterTask[]; offers: number; frameworkId?: string }> {
  for (const url of masterUrls) {
    try {
      const res = await fetch(`${url}/master/state`, { signal: AbortSignal.timeout(5000) });
      if (res.status !== 200) continue;
      const at = Date.now();
      const s = await res.json() as { leader?: string; pid?: string; frameworks?: { id: string; tasks?: unknown[]; completed_tasks?: unknown[]; unreachable_tasks?: unknown[]; offers?: unknown[] }[] };
      if (s.leader !== s.pid) continue;
      const tasks: MasterTask[] = [];
      let offers = 0;
      let frameworkId: string | undefined;
      for (const f of s.frameworks ?? []) {
        frameworkId ??= f.id;
        offers += f.offers?.length ?? 0;
        for (const t of [...(f.tasks ?? []), ...(f.completed_tasks ?? []), ...(f.unreachable_tasks ?? [])] as { id: string; state: string; slave_id: string; framework_id: string }[]) {
          tasks.push({ taskId: t.id, state: t.state, agentId: t.slave_id, frameworkId: t.framework_id, at });
        }
      }
      return { tasks, offers, frameworkId };
    } catch { /* try the next */ }
  }
  return { tasks: [], offers: 0 };
}

function environ(pid: string): Map<string, string> | null {
  try {
    const out = new Map<string, string>();
    for (const kv of readFileSync(`/proc/${pid}/environ`).toString().split('\0')) {
      const i = kv.indexOf('=');
      if (i > 0) out.set(kv.slice(0, i), kv.slice(i + 1));
    }
    return out;
  } catch {
    return null;
  }
}

/** Live task processes of this run's agents, from /proc (by their sandbox under the run's work dir). */
export function scanTaskProcesses(agentWorkDir: string): ProcessSighting[] {
  const out: ProcessSighting[] = [];
  const now = Date.now();
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let stat: string;
    try { stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { continue; }
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') continue;
    const env = environ(pid);
    const sandbox = env?.get('MESOS_SANDBOX');
    if (!env || !sandbox || !sandbox.startsWith(agentWorkDir)) continue;
    out.push({ taskId: env.get('MESOS_TASK_ID') ?? '?', containerId: env.get('MESOS_LOCAL_CONTAINER_ID') ?? '?', pid: Number(pid), at: now });
  }
  return out;
}

/** Run directories (one per container) still on the agents' disks. */
export function scanSandboxes(agentWorkDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number, pattern: readonly string[]) => {
    if (!existsSync(dir)) return;
    if (depth === pattern.length) { out.push(dir); return; }
    const want = pattern[depth];
    for (const n of readdirSync(dir)) {
      if (want !== '*' && n !== want) continue;
      if (want === '*' && n === 'latest') continue;
      walk(join(dir, n), depth + 1, pattern);
    }
  };
  for (const host of existsSync(agentWorkDir) ? readdirSync(agentWorkDir) : []) {
    walk(join(agentWorkDir, host), 0, ['slaves', '*', 'frameworks', '*', 'executors', '*', 'runs', '*']);
  }
  return out;
}

/** Rendezvous nodes (one per job) left under the run's ZooKeeper root. */
export async function scanRendezvous(zkConnect: string, zkRoot: string): Promise<string[]> {
  const zk = await Zk.connect(zkConnect.split(','), { sessionTimeoutMs: 10_000 });
  try {
    const base = `${zkRoot}/rendezvous`;
    if (!(await zk.exists(base))) return [];
    return (await zk.getChildren(base)).map((c) => `${base}/${c}`);
  } finally {
    zk.close();
  }
}
