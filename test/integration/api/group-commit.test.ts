import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { exampleExperiment, ExperimentModel, ProcessModel } from '@msched/airavata-thrift';
import { InvalidRequest, LaunchBatcher, LaunchOutcome, planLaunch, policyFromConfig, randomIds, recordLaunch } from '@msched/api';
import { createLogger } from '@msched/logging';
import type { Config } from '@msched/config';
import type { DataSource } from 'typeorm';
import { ownDatabase } from '../../helpers/own-database';
import { requireStack } from '../../helpers/stack';
import { ONE_LAUNCH, rowCounts } from './harness';

/**
 * Group commit of launches against a real PostgreSQL: launches written together share one
 * statement (so one transaction: PostgreSQL's now() is the same for all their rows), each caller is
 * answered only once its rows are visible to any other connection, and one bad launch in a batch
 * fails alone.
 */
describe('launch group commit (integration)', function () {
  this.timeout(60000);
  let cfg: Config;
  let ds: DataSource;
  let other: Pool;
  const logger = createLogger({ service: 'api-test', silent: true });

  before(async () => {
    await requireStack('postgres');
    ({ cfg, ds } = await ownDatabase('group_commit'));
    other = new Pool({ connectionString: cfg.database.url, max: 4 });
  });
  after(async () => {
    await other?.end();
    await ds?.destroy();
  });

  const plan = (e: ExperimentModel) => planLaunch(e, policyFromConfig(cfg.api), randomIds, new Date());
  /** Batches form only when full (the linger outlasts the test): which launches go together is known. */
  const batcher = (maxBatch: number) => new LaunchBatcher({ db: ds, logger, maxBatch, maxInFlight: 1, lingerMs: 600_000 });
  const createdAt = async (experimentIds: string[]) => (await ds.query('SELECT DISTINCT created_at FROM experiments WHERE id = ANY($1)', [experimentIds])).length;
  /** Answers with the experiment's rows as another connection sees them at the moment of the answer. */
  const recordAndLook = (b: LaunchBatcher, e: ExperimentModel) => b.record(plan(e)).then(async (o: LaunchOutcome) => {
    const { rows } = await other.query('SELECT count(*)::int AS n FROM experiments WHERE id = $1', [e.experimentId]);
    return { o, visible: rows[0].n as number };
  });

  it('writes concurrent launches in one transaction per batch and answers each only once it is durable', async () => {
    const b = batcher(5);
    const exps = Array.from({ length: 10 }, () => exampleExperiment());
    const answers = await Promise.all(exps.map((e) => recordAndLook(b, e)));
    answers.forEach((a, i) => {
      assert.equal(a.o.created, true);
      assert.equal(a.o.experimentId, exps[i].experimentId);
      assert.equal(a.visible, 1, 'committed before the caller was answered');
    });
    const ids = exps.map((e) => e.experimentId as string);
    assert.equal(await createdAt(ids.slice(0, 5)), 1, 'the first five share one transaction');
    assert.equal(await createdAt(ids.slice(5)), 1, 'the next five share another');
    assert.equal(await createdAt(ids), 2);
    for (const id of ids) assert.deepEqual(await rowCounts(ds, id), ONE_LAUNCH);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE message_key = ANY($1) AND type = 'launch.accepted'`, [ids]);
    assert.equal(n, 10);
  });

  it('answers each launch of a batch on its own: a stolen process id fails alone, a repeat gets the first ids, a changed repeat is refused', async () => {
    const earlier = exampleExperiment();
    const first = await recordLaunch(ds, plan(earlier));
    const stolen = exampleExperiment();
    stolen.processes = [new ProcessModel({ processId: first.processId, experimentId: stolen.experimentId as string })];
    const changed = exampleExperiment({ experimentId: earlier.experimentId as string });
    changed.description = 'another payload under the same experiment id';
    const repeat = exampleExperiment({ experimentId: earlier.experimentId as string });
    Object.assign(repeat, earlier);
    const good = [exampleExperiment(), exampleExperiment()];

    const b = batcher(4);
    // The first batch (stolen, repeat, a good one: the changed repeat shares the repeat's id, so it
    // waits) fails as one statement on the stolen id; the rest go in the next.
    const settled = await Promise.allSettled([stolen, repeat, changed, ...good, exampleExperiment(), exampleExperiment()].map((e) => b.record(plan(e))));
    const [s, r, c, g1, g2] = settled;
    assert.equal(s.status, 'rejected');
    assert.ok((s as PromiseRejectedResult).reason instanceof InvalidRequest);
    assert.match((s as PromiseRejectedResult).reason.message, /already belongs to another experiment/);
    assert.equal(r.status, 'fulfilled');
    assert.deepEqual((r as PromiseFulfilledResult<LaunchOutcome>).value, { ...first, created: false });
    assert.equal(c.status, 'rejected');
    assert.match((c as PromiseRejectedResult).reason.message, /already launched with a different ExperimentModel/);
    for (const [res, e] of [[g1, good[0]], [g2, good[1]]] as const) {
      assert.equal(res.status, 'fulfilled');
      assert.equal((res as PromiseFulfilledResult<LaunchOutcome>).value.created, true);
      assert.deepEqual(await rowCounts(ds, e.experimentId as string), ONE_LAUNCH);
    }
    assert.deepEqual(await rowCounts(ds, stolen.experimentId as string), { experiments: 0, processes: 0, jobs: 0, history: 0, outbox: 0 });
    assert.deepEqual(await rowCounts(ds, earlier.experimentId as string), ONE_LAUNCH, 'the repeats wrote nothing');
    assert.equal(b.pending, 0);
  });

  it('writes the same rows as a launch recorded alone', async () => {
    const alone = exampleExperiment();
    const together = exampleExperiment();
    await recordLaunch(ds, plan(alone));
    const b = batcher(2);
    await Promise.all([together, exampleExperiment()].map((e) => b.record(plan(e))));
    const shape = async (id: string) => ({
      history: (await ds.query(`SELECT entity_type, state, reason, source FROM status_history WHERE experiment_id = $1 ORDER BY id`, [id])),
      outbox: (await ds.query(`SELECT topic, type, envelope->'payload'->>'experimentId' = $1 AS own FROM outbox WHERE message_key = $1 ORDER BY seq`, [id])),
      job: (await ds.query(`SELECT j.state, j.attempt, p.state AS process, e.state AS experiment FROM jobs j JOIN processes p ON p.id = j.process_id JOIN experiments e ON e.id = j.experiment_id WHERE j.experiment_id = $1`, [id])),
    });
    assert.deepEqual(await shape(together.experimentId as string), await shape(alone.experimentId as string));
  });
});
