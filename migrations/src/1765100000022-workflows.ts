import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * WORKFLOW experiments (docs/workflows.md): one row per workflow with its WorkflowState, its
 * failure policy and its DAG; one row per application and handler with its ApplicationState /
 * HandlerState (Airavata's enum names) and, for an application, the process it runs as. The
 * status history also records workflow, application and handler states.
 */
export class Workflows1765100000022 implements MigrationInterface {
  name = 'Workflows1765100000022';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workflows (
        experiment_id   text PRIMARY KEY REFERENCES experiments (id),
        workflow_id     text NOT NULL,
        state           text NOT NULL,
        failure_policy  text NOT NULL CONSTRAINT workflows_failure_policy_check CHECK (failure_policy IN ('FAIL_FAST', 'FINISH_INDEPENDENT')),
        terminating     boolean NOT NULL DEFAULT false,
        spec            jsonb NOT NULL,
        model           jsonb NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE workflow_nodes (
        experiment_id  text NOT NULL REFERENCES workflows (experiment_id),
        node_id        text NOT NULL,
        kind           text NOT NULL CONSTRAINT workflow_nodes_kind_check CHECK (kind IN ('APPLICATION', 'HANDLER')),
        process_id     text CONSTRAINT workflow_nodes_process_key UNIQUE REFERENCES processes (id),
        state          text NOT NULL,
        data           jsonb,
        launched_at    timestamptz,
        ended_at       timestamptz,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (experiment_id, node_id)
      )`);
    await q.query('ALTER TABLE status_history DROP CONSTRAINT status_history_entity_type_check');
    await q.query(`ALTER TABLE status_history ADD CONSTRAINT status_history_entity_type_check
      CHECK (entity_type IN ('experiment', 'process', 'job', 'task', 'workflow', 'application', 'handler'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS workflow_nodes');
    await q.query('DROP TABLE IF EXISTS workflows');
    await q.query('ALTER TABLE status_history DROP CONSTRAINT status_history_entity_type_check');
    await q.query(`ALTER TABLE status_history ADD CONSTRAINT status_history_entity_type_check
      CHECK (entity_type IN ('experiment', 'process', 'job', 'task')) NOT VALID`); // history is append-only: old rows stay
  }
}
