import type { Envelope, TopicKey } from '@msched/bus';
import type { NewStatus } from './append-status';
import { Db, queryOne } from './db';
import type { NewExperiment } from './new-experiment';

/** Everything one accepted launch writes. */
export interface NewLaunch {
  experiment: NewExperiment & { state: string };
  process: {
    id: string;
    state: string;
    resourceSchedule: unknown;
    applicationInterfaceId: string | null;
    applicationDeploymentId: string | null;
    computeResourceId: string;
    experimentDataDir: string | null;
    model: unknown;
  };
  /** Attempt 1 of the process. */
  job: { id: string; taskId: string; state: string; reason: string | null };
  statuses: ReadonlyArray<Omit<NewStatus, 'at'>>;
  outbox: ReadonlyArray<{ topic: TopicKey; key: string; envelope: Envelope }>;
}

/**
 * Writes a whole launch (experiment, process, job, first statuses, outbox messages) as ONE
 * statement, hence one atomic unit and one round trip, unless the experiment id is already taken:
 * then nothing at all is written and false is returned (the caller compares payloads).
 * Foreign keys are checked at the end of the statement, so the rows may refer to each other.
 */
export async function insertLaunch(db: Db, l: NewLaunch): Promise<boolean> {
  const e = l.experiment;
  const p = l.process;
  const row = await queryOne<{ created: boolean }>(db, `
    WITH e AS (
      INSERT INTO experiments (id, gateway_id, user_name, project_id, name, payload_hash, model, state)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (id) DO NOTHING
      RETURNING id
    ), p AS (
      INSERT INTO processes (id, experiment_id, state, resource_schedule, application_interface_id,
                             application_deployment_id, compute_resource_id, experiment_data_dir, model)
      SELECT $9, e.id, $10, $11, $12, $13, $14, $15, $16 FROM e
      RETURNING id
    ), j AS (
      INSERT INTO jobs (id, process_id, experiment_id, task_id, attempt, state, reason)
      SELECT $17, p.id, $1, $18, 1, $19, $20 FROM p
      RETURNING id
    ), h AS (
      INSERT INTO status_history (entity_type, entity_id, experiment_id, state, reason, source)
      SELECT s.entity_type, s.entity_id, s.experiment_id, s.state, s.reason, s.source
      FROM json_to_recordset($21::json) AS s(entity_type text, entity_id text, experiment_id text, state text, reason text, source text), j
      RETURNING 1
    ), o AS (
      INSERT INTO outbox (id, topic, message_key, type, envelope)
      SELECT m.id, m.topic, m.key, m.envelope ->> 'type', m.envelope
      FROM json_to_recordset($22::json) AS m(id uuid, topic text, key text, envelope json), j
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM j) AS created, (SELECT count(*) FROM h) AS h, (SELECT count(*) FROM o) AS o`,
  [
    e.id, e.gatewayId, e.userName, e.projectId, e.name, e.payloadHash, JSON.stringify(e.model), e.state,
    p.id, p.state, JSON.stringify(p.resourceSchedule), p.applicationInterfaceId, p.applicationDeploymentId,
    p.computeResourceId, p.experimentDataDir, JSON.stringify(p.model),
    l.job.id, l.job.taskId, l.job.state, l.job.reason,
    // One JSON document per row set: PostgreSQL parses it once, where text[] parameters would
    // have every character of every envelope escaped by the driver.
    JSON.stringify(l.statuses.map((st) => ({ entity_type: st.entityType, entity_id: st.entityId, experiment_id: st.experimentId, state: st.state, reason: st.reason ?? null, source: st.source }))),
    JSON.stringify(l.outbox.map((m) => ({ id: m.envelope.id, topic: m.topic, key: m.key, envelope: m.envelope }))),
  ]);
  return row?.created === true;
}
