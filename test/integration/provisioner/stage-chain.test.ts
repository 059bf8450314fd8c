import assert from 'node:assert/strict';
import type { Consumer } from 'kafkajs';
import { createKafka } from '@msched/bus';
import { wakeOutboxRelays } from '@msched/outbox';
import type { StageName, StageWork } from '@msched/model';
import {
  handoffStage, resolveStage, RetryScheduler, Stage, StageError, stageInputsStage, StageRunner, startIntake,
} from '@msched/provisioner';
import { eventually, GiveUp } from '../../helpers/eventually';
import { ApiHarness, serialExperiment, startApiHarness, TEST_CATALOGUE, testLogger, TOKEN } from '../../helpers/pipeline';
import { requireStack } from '../../helpers/stack';

/**
 * Consecutive stages of one job run in the consumer turn of the launch message (no stage.work
 * message between them), yet each is claimed, retried and recorded in stage_runs on its own, and a
 * turn cut short (the process dies between two stages or inside one) resumes where it stopped when
 * Kafka delivers the launch again. Real PostgreSQL and Kafka; the capacity stage is the test's own
 * (no cluster here), the others are the provisioner's.
 */
describe('provisioner: consecutive stages in one consumer turn (integration)', function () {
  this.timeout(120000);
  let h: ApiHarness;
  let consumers: Consumer[] = [];
  let retries: RetryScheduler;
  /** Runs of each stage's effect, per job. */
  const runs = new Map<string, number>();
  /** Faults the test sets per job. */
  const capacityFailures = new Map<string, number>();
  const dieAfterDone = new Map<string, StageName>();
  const failStageInputsCommit = new Set<string>();
  /** Capacity waits for this before it finishes (by experiment id, known before the launch). */
  const holdCapacity = new Map<string, Promise<void>>();

  const counted = (jobId: string, stage: string) => runs.set(`${jobId}/${stage}`, (runs.get(`${jobId}/${stage}`) ?? 0) + 1);
  const ran = (jobId: string) => Object.fromEntries(['resolve', 'capacity', 'stage-inputs', 'handoff'].map((s) => [s, runs.get(`${jobId}/${s}`) ?? 0]));

  function withCount<R>(s: Stage<R>): Stage<R> {
    return { ...s, run: (ctx) => { counted(ctx.work.jobId, s.name); return s.run(ctx); } };
  }
  const capacity: Stage<void> = {
    name: 'capacity',
    processState: 'CONFIGURING_WORKSPACE',
    run: async (ctx) => {
      counted(ctx.work.jobId, 'capacity');
      await holdCapacity.get(ctx.work.experimentId);
      const left = capacityFailures.get(ctx.work.jobId) ?? 0;
      if (left > 0) {
        capacityFailures.set(ctx.work.jobId, left - 1);
        throw new StageError('no agent registered yet', { permanent: false });
      }
    },
  };
  const stageInputs = withCount(stageInputsStage());
  const stageInputsWithFault: Stage<void> = {
    ...stageInputs,
    commit: async (tx, ctx, r) => {
      // Rolls back the transaction that would mark the stage done: the turn ends with an error.
      if (failStageInputsCommit.delete(ctx.work.jobId)) throw new Error('the database connection was lost');
      await stageInputs.commit?.(tx, ctx, r);
    },
  };

  before(async () => {
    await requireStack('postgres', 'kafka');
    h = await startApiHarness('chain');
    const logger = testLogger('provisioner');
    const stages = [
      withCount(resolveStage(() => TEST_CATALOGUE, { queueRoles: h.cfg.api.queueRoles, defaultRole: h.cfg.mesos.role, defaultMemMbPerRank: 32, defaultWallTimeMinutes: 10 })),
      capacity, stageInputsWithFault, withCount(handoffStage()),
    ] as Stage[];
    const runner = new StageRunner({
      ds: h.ds, logger, stages: new Map(stages.map((s) => [s.name, s])), maxAttempts: 3, timeoutMs: 20000,
      backoff: { initialMs: 100, maxMs: 200, multiplier: 2, jitter: 0 },
      retryScheduled: () => retries.wake(),
      committed: (w: StageWork, what) => {
        wakeOutboxRelays();
        // The process dies right after this stage's done transaction committed, before the next
        // stage is claimed: the next stage is queued in stage_runs and nowhere else.
        if (what === 'done' && dieAfterDone.get(w.jobId) === w.stage) {
          dieAfterDone.delete(w.jobId);
          throw new Error(`died after ${w.stage} was done`);
        }
      },
    });
    // A long poll: the retry must come from the runner's wake-up and the timer to its due time.
    retries = new RetryScheduler(h.ds, logger, 600_000, wakeOutboxRelays);
    retries.start();
    const kafka = createKafka({ ...h.cfg.kafka, clientId: 'chain-test' }, logger);
    consumers = await startIntake({ ds: h.ds, kafka, logger, topicPrefix: h.cfg.kafka.topicPrefix, sessionTimeoutMs: 6000, runner, wake: wakeOutboxRelays, partitionsConcurrently: 2 });
  });
  after(async () => {
    retries?.stop();
    await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)));
    await h?.close();
  });

  async function launch(e = serialExperiment('echo', [])): Promise<{ experimentId: string; processId: string; jobId: string }> {
    const ids = await h.client.client.launchExperiment(TOKEN, e);
    return { experimentId: e.experimentId!, processId: ids.processId, jobId: ids.jobId };
  }
  const stageRuns = async (jobId: string) => Object.fromEntries(
    (await h.ds.query('SELECT stage, state, attempts FROM stage_runs WHERE job_id = $1', [jobId])).map((r: { stage: string; state: string; attempts: number }) => [r.stage, `${r.state}/${r.attempts}`]));
  const dispatched = async (jobId: string) => Number((await h.ds.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'dispatch' AND envelope->'payload'->'spec'->>'jobId' = $1`, [jobId]))[0].n);
  const stageMessages = async (jobId: string) => (await h.ds.query(`SELECT envelope->'payload'->>'stage' AS stage FROM outbox WHERE topic = 'provision' AND envelope->'payload'->>'jobId' = $1 ORDER BY seq`, [jobId])).map((r: { stage: string }) => r.stage);
  const processHistory = async (processId: string) => (await h.ds.query(`SELECT state FROM status_history WHERE entity_type = 'process' AND entity_id = $1 ORDER BY id`, [processId])).map((r: { state: string }) => r.state);
  const handedOff = (l: { jobId: string; processId: string }) => eventually('the gang handed to the dispatcher', async () => {
    if ((await dispatched(l.jobId)) === 1) return true;
    const [p] = await h.ds.query('SELECT state FROM processes WHERE id = $1', [l.processId]);
    if (p.state === 'FAILED') throw new GiveUp(`the process FAILED; stage runs: ${JSON.stringify(await stageRuns(l.jobId))}`);
    return undefined;
  });

  it('runs resolve → capacity → stage-inputs → handoff in the launch\'s turn: one stage_runs row each, no stage message, states in order', async () => {
    const l = await launch();
    await handedOff(l);
    assert.deepEqual(await stageRuns(l.jobId), { resolve: 'done/1', capacity: 'done/1', 'stage-inputs': 'done/1', handoff: 'done/1' });
    assert.deepEqual(ran(l.jobId), { resolve: 1, capacity: 1, 'stage-inputs': 1, handoff: 1 });
    assert.deepEqual(await stageMessages(l.jobId), [], 'no stage went through Kafka');
    const hist = await processHistory(l.processId);
    const from = hist.indexOf('PRE_PROCESSING');
    assert.deepEqual(hist.slice(from), ['PRE_PROCESSING', 'CONFIGURING_WORKSPACE', 'INPUT_DATA_STAGING', 'EXECUTING']);
    const [times] = await h.ds.query(`SELECT bool_and(started_at IS NOT NULL AND finished_at >= started_at) AS ok FROM stage_runs WHERE job_id = $1`, [l.jobId]);
    assert.equal(times.ok, true, 'each stage recorded its own start and end');
  });

  it('retries a stage of the turn on its own: the retry comes as a message, the stages after it follow in that turn', async () => {
    const l = await launch();
    capacityFailures.set(l.jobId, 1);
    await handedOff(l);
    assert.deepEqual(await stageRuns(l.jobId), { resolve: 'done/1', capacity: 'done/2', 'stage-inputs': 'done/1', handoff: 'done/1' });
    assert.deepEqual(ran(l.jobId), { resolve: 1, capacity: 2, 'stage-inputs': 1, handoff: 1 });
    assert.deepEqual(await stageMessages(l.jobId), ['capacity'], 'only the retry went through Kafka');
    const [retry] = await h.ds.query(`SELECT last_error FROM stage_runs WHERE job_id = $1 AND stage = 'capacity'`, [l.jobId]);
    assert.equal(retry.last_error, null);
  });

  it('resumes at the next stage when the turn dies between two stages (the launch comes again from Kafka)', async () => {
    const l = await launch();
    dieAfterDone.set(l.jobId, 'capacity');
    await handedOff(l);
    assert.equal(dieAfterDone.has(l.jobId), false, 'the turn died once');
    assert.deepEqual(await stageRuns(l.jobId), { resolve: 'done/1', capacity: 'done/1', 'stage-inputs': 'done/1', handoff: 'done/1' });
    assert.deepEqual(ran(l.jobId), { resolve: 1, capacity: 1, 'stage-inputs': 1, handoff: 1 }, 'no finished stage ran again');
    assert.deepEqual(await stageMessages(l.jobId), []);
  });

  it('resumes at the stage that was running when the turn died inside it; its attempt is counted, the others run once', async () => {
    const l = await launch();
    failStageInputsCommit.add(l.jobId);
    await handedOff(l);
    assert.equal(failStageInputsCommit.has(l.jobId), false, 'the turn died once');
    assert.deepEqual(await stageRuns(l.jobId), { resolve: 'done/1', capacity: 'done/1', 'stage-inputs': 'done/2', handoff: 'done/1' });
    assert.deepEqual(ran(l.jobId), { resolve: 1, capacity: 1, 'stage-inputs': 2, handoff: 1 });
    assert.equal(await dispatched(l.jobId), 1, 'handed off once');
  });

  it('ends the turn at the next stage when the experiment was terminated meanwhile: recorded failed with the reason, nothing handed off', async () => {
    const e = serialExperiment('echo', []);
    let release!: () => void;
    holdCapacity.set(e.experimentId as string, new Promise((r) => { release = r; }));
    const l = await launch(e);
    await eventually('capacity to be running', () => runs.get(`${l.jobId}/capacity`) === 1 || undefined);
    await h.client.client.terminateExperiment(TOKEN, l.experimentId, e.gatewayId);
    release();
    await eventually('the process CANCELED', async () => (await h.ds.query('SELECT state FROM processes WHERE id = $1', [l.processId]))[0].state === 'CANCELED' || undefined);
    assert.deepEqual(await stageRuns(l.jobId), { resolve: 'done/1', capacity: 'done/1', 'stage-inputs': 'failed/1' });
    const [si] = await h.ds.query(`SELECT last_error FROM stage_runs WHERE job_id = $1 AND stage = 'stage-inputs'`, [l.jobId]);
    assert.equal(si.last_error, 'terminated before the gang was handed to the dispatcher');
    assert.deepEqual(ran(l.jobId), { resolve: 1, capacity: 1, 'stage-inputs': 0, handoff: 0 });
    assert.equal(await dispatched(l.jobId), 0);
    const [job] = await h.ds.query('SELECT state FROM jobs WHERE id = $1', [l.jobId]);
    assert.equal(job.state, 'CANCELED');
  });
});
