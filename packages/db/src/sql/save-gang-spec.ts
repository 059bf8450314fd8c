import type { GangSpec } from '@msched/model';
import { Db, queryRows } from './db';

/**
 * The one writer of jobs.gang_spec, with one rule: the spec may be replaced until the job is queued
 * at the dispatcher (queued_at set) and is fixed from then on, so the row always says what runs.
 * The provisioner writes it when it resolves the gang; the dispatcher writes the spec it received
 * (its default wall time applied) just before queueing. Returns whether the row was written.
 */
export async function saveGangSpec(tx: Db, jobId: string, spec: GangSpec): Promise<boolean> {
  const r = await queryRows<{ id: string }>(tx, 'UPDATE jobs SET gang_spec = $2::jsonb, updated_at = now() WHERE id = $1 AND queued_at IS NULL RETURNING id', [jobId, JSON.stringify(spec)]);
  return r.length > 0;
}
