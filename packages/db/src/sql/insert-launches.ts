import { Db, queryRows } from './db';
import type { NewLaunch } from './insert-launch';

/**
 * Writes several launches as ONE statement (one round trip, one commit for all): the group commit
 * of the API. Returns, in input order, whether each was created; one whose experiment id is
 * already taken writes nothing (as insertLaunch). Experiment ids must differ within a call. Any
 * error (e.g. a process id already used by another experiment) fails the whole statement, so
 * nothing of any launch is written and the caller records them one by one to give each its answer.
 */
export async function insertLaunches(db: Db, launches: readonly NewLaunch[]): Promise<boolean[]> {
  if (new Set(launches.map((l) => l.experiment.id)).size !== launches.length) throw new TypeError('insertLaunches: experiment ids must differ within one batch');
  const rows = await queryRows<{ i: number; created: boolean }>(db, `
    WITH l AS (
      SELECT * FROM json_to_recordset($1::json) AS x(
        i int, e_id text, gateway_id text, user_name text, project_id text, name text, payload_hash text, e_model jsonb, e_state text,
        p_id text, p_state text, resource_schedule jsonb, interface_id text, deployment_id text, compute_resource_id text, data_dir text, p_model jsonb,
        j_id text, task_id text, j_state text, j_reason text)
    ), e AS (
      INSERT INTO experiments (id, gateway_id, user_name, project_id, name, payload_hash, model, state)
      SELECT e_id, gateway_id, user_name, project_id, name, payload_hash, e_model, e_state FROM l ORDER BY i
      ON CONFLICT (id) DO NOTHING
      RETURNING id
    ), p AS (
      INSERT INTO processes (id, experiment_id, state, resource_schedule, application_interface_id,
                             application_deployment_id, compute_resource_id, experiment_data_dir, model)
      SELECT l.p_id, e.id, l.p_state, l.resource_schedule, l.interface_id, l.deployment_id, l.compute_resource_id, l.data_dir, l.p_model
      FROM l JOIN e ON e.id = l.e_id ORDER BY l.i
      RETURNING id
    ), j AS (
      INSERT INTO jobs (id, process_id, experiment_id, task_id, attempt, state, reason)
      SELECT l.j_id, l.p_id, l.e_id, l.task_id, 1, l.j_state, l.j_reason FROM l JOIN e ON e.id = l.e_id ORDER BY l.i
      RETURNING id
    ), h AS (
      INSERT INTO status_history (entity_type, entity_id, experiment_id, state, reason, source)
      SELECT s.entity_type, s.entity_id, s.experiment_id, s.state, s.reason, s.source
      FROM json_to_recordset($2::json) AS s(entity_type text, entity_id text, experiment_id text, state text, reason text, source text, launch text, n int)
      JOIN e ON e.id = s.launch
      ORDER BY s.n
      RETURNING 1
    ), o AS (
      INSERT INTO outbox (id, topic, message_key, type, envelope)
      SELECT m.id, m.topic, m.key, m.envelope ->> 'type', m.envelope
      FROM json_to_recordset($3::json) AS m(id uuid, topic text, key text, envelope json, launch text, n int)
      JOIN e ON e.id = m.launch
      ORDER BY m.n
      RETURNING 1
    )
    SELECT l.i, (e.id IS NOT NULL) AS created
    FROM l LEFT JOIN e ON e.id = l.e_id
    ORDER BY l.i`,
  [
    JSON.stringify(launches.map((l, i) => ({
      i, e_id: l.experiment.id, gateway_id: l.experiment.gatewayId, user_name: l.experiment.userName, project_id: l.experiment.projectId,
      name: l.experiment.name, payload_hash: l.experiment.payloadHash, e_model: l.experiment.model, e_state: l.experiment.state,
      p_id: l.process.id, p_state: l.process.state, resource_schedule: l.process.resourceSchedule, interface_id: l.process.applicationInterfaceId,
      deployment_id: l.process.applicationDeploymentId, compute_resource_id: l.process.computeResourceId, data_dir: l.process.experimentDataDir,
      p_model: l.process.model, j_id: l.job.id, task_id: l.job.taskId, j_state: l.job.state, j_reason: l.job.reason,
    }))),
    // Rows keep their order (status history ids, outbox seq: one key's messages in order).
    JSON.stringify(launches.flatMap((l) => l.statuses.map((st) => ({
      entity_type: st.entityType, entity_id: st.entityId, experiment_id: st.experimentId, state: st.state, reason: st.reason ?? null, source: st.source, launch: l.experiment.id,
    }))).map((r, n) => ({ ...r, n }))),
    JSON.stringify(launches.flatMap((l) => l.outbox.map((m) => ({ id: m.envelope.id, topic: m.topic, key: m.key, envelope: m.envelope, launch: l.experiment.id }))).map((r, n) => ({ ...r, n }))),
  ]);
  return rows.map((r) => r.created);
}
