import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The job database: Airavata's experiments and processes as we received them, one job per launch
 * attempt (a gang), one task per Mesos task, the append-only status history, the transactional
 * outbox, and the bookkeeping tables of the workers. State columns hold Airavata enum names.
 */
export class JobDatabase1763780400000 implements MigrationInterface {
  name = 'JobDatabase1763780400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE experiments (
        id            text PRIMARY KEY,
        gateway_id    text NOT NULL,
        user_name     text NOT NULL,
        project_id    text NOT NULL,
        name          text NOT NULL,
        payload_hash  text NOT NULL,
        model         jsonb NOT NULL,
        state         text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX experiments_gateway_idx ON experiments (gateway_id)');

    await q.query(`
      CREATE TABLE processes (
        id                         text PRIMARY KEY,
        experiment_id              text NOT NULL REFERENCES experiments (id),
        state                      text NOT NULL,
        resource_schedule          jsonb NOT NULL,
        application_interface_id   text,
        application_deployment_id  text,
        compute_resource_id        text NOT NULL,
        experiment_data_dir        text,
        model                      jsonb NOT NULL,
        created_at                 timestamptz NOT NULL DEFAULT now(),
        updated_at                 timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX processes_experiment_idx ON processes (experiment_id)');

    await q.query(`
      CREATE TABLE jobs (
        id             text PRIMARY KEY,
        process_id     text NOT NULL REFERENCES processes (id),
        experiment_id  text NOT NULL REFERENCES experiments (id),
        task_id        text NOT NULL,
        attempt        integer NOT NULL CHECK (attempt >= 1),
        state          text NOT NULL,
        gang_spec      jsonb,
        reason         text,
        exit_code      integer,
        failed_rank    integer,
        framework_id   text,
        working_dir    text,
        std_out        text,
        std_err        text,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT jobs_process_attempt_key UNIQUE (process_id, attempt)
      )`);
    await q.query('CREATE INDEX jobs_state_idx ON jobs (state)');
    await q.query('CREATE INDEX jobs_experiment_idx ON jobs (experiment_id)');

    await q.query(`
      CREATE TABLE tasks (
        id                text PRIMARY KEY,
        job_id            text NOT NULL REFERENCES jobs (id),
        agent_id          text,
        hostname          text,
        ranks             integer[] NOT NULL DEFAULT '{}',
        state             text NOT NULL,
        last_update_uuid  text,
        last_update_at    timestamptz,
        sandbox_path      text,
        exit_code         integer,
        message           text,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX tasks_job_idx ON tasks (job_id)');

    await q.query(`
      CREATE TABLE status_history (
        id             bigserial PRIMARY KEY,
        entity_type    text NOT NULL CONSTRAINT status_history_entity_type_check CHECK (entity_type IN ('experiment', 'process', 'job', 'task')),
        entity_id      text NOT NULL,
        experiment_id  text NOT NULL,
        state          text NOT NULL,
        reason         text,
        source         text NOT NULL,
        at             timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX status_history_entity_idx ON status_history (entity_type, entity_id, id)');
    await q.query('CREATE INDEX status_history_experiment_idx ON status_history (experiment_id, id)');
    // History is evidence: rows are only ever added (TRUNCATE stays possible for operators).
    await q.query(`
      CREATE FUNCTION status_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'status_history is append-only: % refused', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER status_history_append_only BEFORE UPDATE OR DELETE ON status_history
      FOR EACH ROW EXECUTE FUNCTION status_history_append_only()`);

    await q.query(`
      CREATE TABLE outbox (
        seq          bigserial PRIMARY KEY,
        id           uuid NOT NULL CONSTRAINT outbox_id_key UNIQUE,
        topic        text NOT NULL,
        message_key  text NOT NULL,
        type         text NOT NULL,
        envelope     json NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        sent_at      timestamptz,
        attempts     integer NOT NULL DEFAULT 0,
        last_error   text
      )`);
    await q.query('CREATE INDEX outbox_unsent_idx ON outbox (seq) WHERE sent_at IS NULL');
    await q.query('CREATE INDEX outbox_unsent_key_idx ON outbox (message_key, seq) WHERE sent_at IS NULL');
    await q.query(`
      CREATE TABLE processed_messages (
        consumer      text NOT NULL,
        message_id    text NOT NULL,
        processed_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, message_id)
      )`);

    await q.query(`
      CREATE TABLE stage_runs (
        id           bigserial PRIMARY KEY,
        process_id   text NOT NULL REFERENCES processes (id),
        job_id       text NOT NULL REFERENCES jobs (id),
        stage        text NOT NULL,
        state        text NOT NULL,
        attempts     integer NOT NULL DEFAULT 0,
        last_error   text,
        started_at   timestamptz,
        finished_at  timestamptz,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT stage_runs_job_stage_key UNIQUE (job_id, stage)
      )`);

    await q.query(`
      CREATE TABLE framework (
        name          text PRIMARY KEY,
        framework_id  text NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['framework', 'stage_runs', 'processed_messages', 'outbox', 'status_history', 'tasks', 'jobs', 'processes', 'experiments']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query('DROP FUNCTION IF EXISTS status_history_append_only()');
  }
}
