import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { exampleExperiment } from '@msched/airavata-thrift';
import { IdSource, planLaunch, policyFromConfig } from '@msched/api';
import type { Config } from '@msched/config';
import { insertLaunch } from '@msched/db';
import { WaitEstimates } from '@msched/dispatcher';
import { gangRequestFromSpec, OfferPolicy, type WaitingGang } from '@msched/gang';
import type { GangSpec } from '@msched/model';
import { requireStack } from '../../helpers/stack';
import { ownDatabase } from '../../helpers/own-database';

const MIN = 60_000;

/**
 * The leader's pass over waiting gangs against real PostgreSQL, with the real offer policy: one
 * 4-cpu gang runs for 10 more minutes, three 4-cpu gangs of 10 minutes wait behind it.
 */
describe('waiting gangs: expected starts saved and told to Airavata (integration)', function () {
  let cfg: Config;
  let ds: DataSource;
  let policy: OfferPolicy;
  const jobs: string[] = [];
  // The passes run on a clock of their own, two minutes behind the database's (as a test's, or a
  // replica's with a skewed clock): the 5-minute rule must read its own clock back, not now().
  const now = Date.now() - 2 * MIN;
  const ctx = () => ({ ds, afterCommit: () => undefined }) as unknown as ConstructorParameters<typeof WaitEstimates>[0];

  async function queuedJob(): Promise<WaitingGang> {
    const ids: IdSource = { processId: () => `P-${randomUUID()}`, jobId: () => `JOB_${randomUUID()}`, taskId: () => `T-${randomUUID()}` };
    const plan = planLaunch(exampleExperiment({ gatewayId: 'gw', userName: 'ann' }), policyFromConfig(cfg.api), ids, new Date());
    await insertLaunch(ds, plan.launch);
    const spec: GangSpec = {
      jobId: plan.ids.jobId, processId: plan.ids.processId, experimentId: plan.ids.experimentId, gatewayId: 'gw', attempt: 1, ranks: 4, cpusPerRank: 1,
      memMbPerRank: 128, wallTimeSeconds: 600, role: 'mpi', app: { executable: '/bin/true', args: [], env: {}, mpi: 'none', uris: [] },
    };
    await ds.query('UPDATE jobs SET state = \'QUEUED\', gang_spec = $2, queued_at = now() WHERE id = $1', [plan.ids.jobId, JSON.stringify(spec)]);
    jobs.push(plan.ids.jobId);
    return { gangId: plan.ids.jobId, tenant: { gateway: 'gw', user: 'ann' }, request: gangRequestFromSpec(spec, 1), wallTimeSeconds: 600, queuedAt: now };
  }

  async function told(): Promise<Array<{ id: string; reason: string }>> {
    return ds.query(`SELECT entity_id AS id, reason FROM status_history WHERE entity_type = 'job' AND entity_id = ANY($1::text[])
      AND reason LIKE 'expected to start%' ORDER BY id`, [jobs]);
  }

  before(async () => {
    await requireStack('postgres');
    ({ cfg, ds } = await ownDatabase('wait_estimates'));
    policy = new OfferPolicy({ roles: ['mpi'], holdSeconds: 30, declineRefuseSeconds: 10, idleRefuseSeconds: 300, reservationAgingSeconds: 600 });
    policy.handle({
      type: 'gangRunning',
      gang: { gangId: 'JOB_running', role: 'mpi', expectedEndAt: now + 10 * MIN, shares: [{ agentId: 'A1', hostname: 'a1', cpus: 4, mem: 1024, disk: 0 }] },
    }, now);
    for (let i = 0; i < 3; i++) policy.handle({ type: 'gangQueued', gang: await queuedJob() }, now);
  });
  after(async () => ds?.destroy());

  it('saves each waiting gang\'s reason and expected start, and tells Airavata each expected start once', async () => {
    await new WaitEstimates(ctx(), policy).pass(now);
    const rows: Array<{ id: string; at: Date; reason: string }> = await ds.query(
      'SELECT id, expected_start_at AS at, wait_reason AS reason FROM jobs WHERE id = ANY($1::text[])', [jobs]);
    const starts = jobs.map((id) => rows.find((r) => r.id === id)!.at.getTime());
    assert.deepEqual(starts.map((t) => Math.round((t - now) / MIN)), [10, 20, 30], 'one after the other, each when the one before reaches its wall time');
    assert.ok(rows.every((r) => /^#\d in the queue of role mpi/.test(r.reason)));
    const first = await told();
    assert.deepEqual(first.map((t) => t.id), [...jobs].sort());
    assert.ok(first.every((t) => /^expected to start about (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC$/.test(t.reason)));
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'events'
      AND envelope->'payload'->>'reason' LIKE 'expected to start%' AND envelope->'payload'->>'previousState' = 'QUEUED'`);
    assert.equal(n, 3);
  });

  it('tells nothing again when nothing moved, also after a change of leader; a gang that started meanwhile is left alone', async () => {
    await new WaitEstimates(ctx(), policy).pass(now + 10_000);
    // A new leader: its memory is empty, the job rows say what was told.
    await ds.query('UPDATE jobs SET launched_at = now(), state = \'ACTIVE\' WHERE id = $1', [jobs[2]]);
    const [{ before }] = await ds.query('SELECT expected_start_at AS before FROM jobs WHERE id = $1', [jobs[2]]);
    await new WaitEstimates(ctx(), policy).pass(now + 6 * MIN);
    assert.equal((await told()).length, 3);
    const [{ after }] = await ds.query('SELECT expected_start_at AS after FROM jobs WHERE id = $1', [jobs[2]]);
    assert.deepEqual(after, before, 'a launched gang\'s row keeps the estimate it had');
  });

  it('tells a moved estimate, once it moved by enough and the last was told 5 minutes ago', async () => {
    const estimates = new WaitEstimates(ctx(), policy);
    // The first in line is canceled: the second's estimate moves 10 minutes earlier.
    policy.handle({ type: 'gangWithdrawn', gangId: jobs[0] }, now);
    await ds.query('UPDATE jobs SET state = \'CANCELED\', settled_at = now() WHERE id = $1', [jobs[0]]);
    await estimates.pass(now + 4 * MIN);
    assert.equal((await told()).length, 3, 'not within 5 minutes of the last announcement');
    await estimates.pass(now + 6 * MIN);
    const all = await told();
    assert.deepEqual(jobs.map((id) => all.filter((t) => t.id === id).length), [1, 2, 1], 'the second told again; the canceled and the launched ones not');
    const [{ at }] = await ds.query('SELECT expected_start_at AS at FROM jobs WHERE id = $1', [jobs[1]]);
    assert.equal(Math.round((at.getTime() - now) / MIN), 10);
  });
});
