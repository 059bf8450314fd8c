import type { DataSource } from 'typeorm';
import { withTransaction } from '@msched/db';
import { recordTransition } from '@msched/state-recorder';

export async function workflowRows(ds: DataSource, experimentId: string): Promise<{ workflows: number; nodes: number }> {
  const [r] = await ds.query(`SELECT (SELECT count(*) FROM workflows WHERE experiment_id = $1)::int AS workflows,
    (SELECT count(*) FROM workflow_nodes WHERE experiment_id = $1)::int AS nodes`, [experimentId]);
  return r;
}

export async function nodeStates(ds: DataSource, experimentId: string): Promise<Record<string, string>> {
  const rows: Array<{ node_id: string; state: string }> = await ds.query('SELECT node_id, state FROM workflow_nodes WHERE experiment_id = $1', [experimentId]);
  return Object.fromEntries(rows.map((r) => [r.node_id, r.state]));
}

export async function states(ds: DataSource, experimentId: string): Promise<{ experiment: string; workflow: string }> {
  const [r] = await ds.query('SELECT e.state AS experiment, w.state AS workflow FROM experiments e JOIN workflows w ON w.experiment_id = e.id WHERE e.id = $1', [experimentId]);
  return r;
}

/** Launch messages queued for the experiment: one per started application (process id → payload). */
export async function launchMessages(ds: DataSource, experimentId: string): Promise<Array<{ processId: string; jobId: string; process: { processInputs?: Array<{ name: string; value?: string }> } }>> {
  const rows: Array<{ envelope: { payload: { processId: string; jobId: string; process: never } } }> = await ds.query(
    `SELECT envelope FROM outbox WHERE message_key = $1 AND topic = 'launch' ORDER BY seq`, [experimentId]);
  return rows.map((r) => r.envelope.payload);
}

export async function jobOf(ds: DataSource, processId: string): Promise<{ id: string; task_id: string } | undefined> {
  const [r] = await ds.query('SELECT id, task_id FROM jobs WHERE process_id = $1 ORDER BY attempt DESC LIMIT 1', [processId]);
  return r;
}

/**
 * Ends an application's process the way the provisioner's cleanup does (its job ended, outputs
 * collected into `workingDir`), through recordTransition in one transaction.
 */
export async function endProcess(ds: DataSource, gatewayId: string, experimentId: string, processId: string, to: 'COMPLETED' | 'FAILED' | 'CANCELED', workingDir?: string): Promise<void> {
  await withTransaction(ds, async (tx) => {
    const job = await jobOf(ds, processId);
    if (job && workingDir) await tx.query('UPDATE jobs SET working_dir = $2, std_out = $3 WHERE id = $1', [job.id, workingDir, `${workingDir}/stdout`]);
    for (const state of ['STARTED', 'EXECUTING', 'MONITORING', to]) {
      await recordTransition(tx, { entity: 'process', id: processId, to: state, source: 'provisioner', subject: { gatewayId, experimentId, processId } });
    }
  });
}
