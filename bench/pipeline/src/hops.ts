import type { DataSource } from 'typeorm';
import type { Row } from './stats';

/** One launch as the client saw it (wall-clock ms, the same clock PostgreSQL's now() reads). */
export interface Launch { experimentId: string; processId: string; sentAt: number; ackAt: number }

/** Dumps what the database recorded for one launch (to decide the hops). */
export async function dump(ds: DataSource, l: Launch): Promise<void> {
  const ms = (t: unknown): string => (t ? String(new Date(t as string).getTime() - l.sentAt) : '-');
  process.stdout.write(`ack ${l.ackAt - l.sentAt}\n`);
  for (const r of await ds.query('SELECT topic, type, message_key, created_at, sent_at FROM outbox WHERE message_key = $1 ORDER BY seq', [l.experimentId])) process.stdout.write(`outbox ${r.topic} ${r.type} ${r.message_key} ${ms(r.created_at)} ${ms(r.sent_at)}\n`);
  for (const r of await ds.query('SELECT stage, state, attempts, created_at, started_at, finished_at FROM stage_runs WHERE process_id=$1 ORDER BY id', [l.processId])) process.stdout.write(`stage ${r.stage} ${r.state} ${ms(r.created_at)} ${ms(r.started_at)} ${ms(r.finished_at)}\n`);
  for (const r of await ds.query('SELECT id, state, created_at, queued_at, launched_at, settled_at FROM jobs WHERE process_id=$1', [l.processId])) process.stdout.write(`job ${r.id} ${r.state} ${ms(r.created_at)} q${ms(r.queued_at)} l${ms(r.launched_at)} s${ms(r.settled_at)}\n`);
  for (const r of await ds.query('SELECT t.id, t.state, t.created_at, t.last_update_at FROM tasks t JOIN jobs j ON j.id=t.job_id WHERE j.process_id=$1', [l.processId])) process.stdout.write(`task ${r.id} ${r.state} ${ms(r.created_at)} ${ms(r.last_update_at)}\n`);
  for (const r of await ds.query('SELECT entity_type, state, source, at FROM status_history WHERE experiment_id=$1 ORDER BY id', [l.experimentId])) process.stdout.write(`hist ${r.entity_type} ${r.state} ${r.source} ${ms(r.at)}\n`);
}

const PRE_DISPATCH = ['resolve', 'capacity', 'stage-inputs', 'handoff'];

const t = (x: unknown): number => (x ? new Date(x as string).getTime() : NaN);

/**
 * Per-hop latencies of each launch, from what the services record anyway. PostgreSQL's now() is a
 * transaction's start, so a hop ending in a row's timestamp ends when that transaction began.
 */
export async function hopRows(ds: DataSource, launches: readonly Launch[]): Promise<Row[]> {
  if (process.env.BENCH_DUMP) await dump(ds, launches[0]);
  const names = [
    'launch → API answered (committed)', 'API commit → launch on Kafka (relay)', 'on Kafka → first stage started (consumer)',
    ...PRE_DISPATCH.map((s) => `stage ${s} (wait + run)`),
    'handoff done → dispatch on Kafka (relay)', 'dispatch on Kafka → gang queued (dispatcher)', 'queued → ACCEPT (offer wait + placement)',
    'ACCEPT → every rank TASK_RUNNING written', 'RUNNING written → status event on Kafka',
    'launch → RUNNING (every rank)', 'launch → COMPLETED',
  ];
  const rows: Row[] = names.map((name) => ({ name, samples: [] }));
  for (const l of launches) {
    const ob: Array<{ topic: string; created_at: string; sent_at: string }> = await ds.query('SELECT topic, created_at, sent_at FROM outbox WHERE message_key = $1 ORDER BY seq', [l.experimentId]);
    const stages: Array<{ stage: string; started_at: string; finished_at: string }> = await ds.query('SELECT stage, started_at, finished_at FROM stage_runs WHERE process_id = $1', [l.processId]);
    const [job] = await ds.query('SELECT queued_at, launched_at FROM jobs WHERE process_id = $1 ORDER BY attempt LIMIT 1', [l.processId]);
    const hist: Array<{ entity_type: string; state: string; at: string }> = await ds.query('SELECT entity_type, state, at FROM status_history WHERE experiment_id = $1 ORDER BY id', [l.experimentId]);
    const at = (type: string, state: string): number => t(hist.find((h) => h.entity_type === type && h.state === state)?.at);
    const launchRow = ob.find((o) => o.topic === 'launch');
    const dispatchRow = ob.find((o) => o.topic === 'dispatch');
    const stage = (s: string): { started: number; finished: number } => {
      const r = stages.find((x) => x.stage === s);
      return { started: t(r?.started_at), finished: t(r?.finished_at) };
    };
    const running = at('job', 'ACTIVE');
    const runningEvent = ob.find((o) => o.topic === 'events' && t(o.created_at) === running);
    const firstStart = Math.min(...stages.map((s) => t(s.started_at)));
    let prev = t(launchRow?.sent_at);
    const stageHops = PRE_DISPATCH.map((s) => {
      const d = stage(s).finished - prev;
      prev = stage(s).finished;
      return d;
    });
    const values = [
      l.ackAt - l.sentAt, t(launchRow?.sent_at) - t(launchRow?.created_at), firstStart - t(launchRow?.sent_at),
      ...stageHops,
      t(dispatchRow?.sent_at) - stage('handoff').finished, t(job?.queued_at) - t(dispatchRow?.sent_at), t(job?.launched_at) - t(job?.queued_at),
      running - t(job?.launched_at), t(runningEvent?.sent_at) - running,
      running - l.sentAt, at('experiment', 'COMPLETED') - l.sentAt,
    ];
    values.forEach((v, i) => rows[i].samples.push(v));
  }
  return rows;
}
