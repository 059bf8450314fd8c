import { Client } from 'pg';
import type { RunningService } from '@msched/devstack';

/** One row of the job DB's status history as the demos print it. */
export interface HistoryRow {
  id: string;
  entity_type: string;
  entity_id: string;
  state: string;
  reason: string | null;
  at: Date;
}

export interface FollowOptions {
  /** Only these entity types (all when absent). */
  entityTypes?: readonly string[];
  /** Prints one row; `sinceS` is the seconds since following started. */
  print: (row: HistoryRow, sinceS: number, batch: readonly HistoryRow[]) => void;
  /** The final state when `row` ends what is followed. */
  endOf: (row: HistoryRow) => string | undefined;
  /** Called after each batch that did not end it (to show more, such as the placement). */
  afterBatch?: (db: Client) => Promise<void>;
  /** Gives up after this long. */
  timeoutMs: number;
  /** What is followed, for the time-out message. */
  what: string;
}

/**
 * Prints an experiment's history as it lands in the job DB, polling (the demos only read, and need
 * no LISTEN); resolves with the final state, and fails when a service exits or time runs out.
 */
export async function followHistory(dbUrl: string, experimentId: string, services: readonly RunningService[], o: FollowOptions): Promise<string> {
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  const started = Date.now();
  let lastId = '0';
  try {
    for (;;) {
      const { rows } = await db.query<HistoryRow>(
        `SELECT id::text AS id, entity_type, entity_id, state, reason, at FROM status_history
         WHERE experiment_id = $1 AND id > $2::bigint AND ($3::text[] IS NULL OR entity_type = ANY($3)) ORDER BY id`,
        [experimentId, lastId, o.entityTypes ? [...o.entityTypes] : null]);
      let outcome: string | undefined;
      for (const r of rows) {
        lastId = r.id;
        o.print(r, (r.at.getTime() - started) / 1000, rows);
        outcome = o.endOf(r) ?? outcome;
      }
      // The final state's batch is printed whole (the experiment's own end commits with it), then it stops.
      if (outcome) return outcome;
      await o.afterBatch?.(db);
      const dead = services.find((s) => s.child.exitCode !== null);
      if (dead) throw new Error(`the ${dead.name} service exited (code ${dead.child.exitCode}): see ${dead.log}`);
      if (Date.now() - started > o.timeoutMs) throw new Error(`${o.what} did not finish within ${Math.round(o.timeoutMs / 60000)} minutes`);
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await db.end();
  }
}
