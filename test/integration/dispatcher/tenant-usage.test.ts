import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { exampleExperiment } from '@msched/airavata-thrift';
import { IdSource, planLaunch, policyFromConfig } from '@msched/api';
import type { Config } from '@msched/config';
import { insertLaunch } from '@msched/db';
import { tenantUsage } from '@msched/dispatcher';
import { requireStack } from '../../helpers/stack';
import { ownDatabase } from '../../helpers/own-database';

const HOUR = 3600;

describe('past usage per tenant, derived from the job rows (integration)', function () {
  let cfg: Config;
  let ds: DataSource;

  /** One launched job of (gateway, user): `ranks` × `cpus` cores, run `runH` hours, ended `endedAgoH` hours ago (null: still running). */
  async function job(gatewayId: string, userName: string, ranks: number, cpus: number, runH: number, endedAgoH: number | null): Promise<void> {
    const ids: IdSource = { processId: () => `P-${randomUUID()}`, jobId: () => `JOB_${randomUUID()}`, taskId: () => `T-${randomUUID()}` };
    const plan = planLaunch(exampleExperiment({ gatewayId, userName }), policyFromConfig(cfg.api), ids, new Date());
    await insertLaunch(ds, plan.launch);
    const ended = endedAgoH ?? 0;
    await ds.query(`UPDATE jobs SET gang_spec = $2::jsonb, state = $3,
        launched_at = now() - make_interval(secs => $4::float8), settled_at = CASE WHEN $5 THEN NULL ELSE now() - make_interval(secs => $6::float8) END
      WHERE id = $1`,
    [plan.ids.jobId, JSON.stringify({ ranks, cpusPerRank: cpus, wallTimeSeconds: 3600, role: 'mpi' }), endedAgoH === null ? 'ACTIVE' : 'COMPLETE',
      (ended + runH) * HOUR, endedAgoH === null, ended * HOUR]);
  }

  before(async () => {
    await requireStack('postgres');
    ({ cfg, ds } = await ownDatabase('tenant_usage'));
    // Half-life 10 h in this suite.
    await job('gw-a', 'ann', 4, 1, 2, 0);       // 4 cores × 2 h, just ended: 28,800 core-s
    await job('gw-a', 'ann', 2, 2, 1, 10);      // 4 cores × 1 h, ended one half-life ago: 14,400 / 2 = 7,200
    await job('gw-a', 'bob', 1, 1, 1, 20);      // 1 core × 1 h, two half-lives ago: 3,600 / 4 = 900
    await job('gw-b', 'ann', 8, 1, 1, null);    // still running: charged by the policy from its launch, not here
    await job('gw-b', 'cid', 1, 1, 1, 101);     // past ten half-lives: not read
    // Queued, never launched: no usage.
    const plan = planLaunch(exampleExperiment({ gatewayId: 'gw-b', userName: 'dan' }), policyFromConfig(cfg.api), { processId: () => `P-${randomUUID()}`, jobId: () => `JOB_${randomUUID()}`, taskId: () => `T-${randomUUID()}` }, new Date());
    await insertLaunch(ds, plan.launch);
  });
  after(async () => ds?.destroy());

  it('charges cores × run time of ended attempts, decayed by the half-life from when they ended', async () => {
    const before = Date.now();
    const usage = await tenantUsage(ds, 10 * HOUR);
    const got = Object.fromEntries(usage.map((u) => [`${u.tenant.gateway}/${u.tenant.user}`, Math.round(u.coreSeconds)]));
    assert.deepEqual(got, { 'gw-a/ann': 28_800 + 7_200, 'gw-a/bob': 900 });
    for (const u of usage) assert.ok(Math.abs(u.asOf - before) < 60_000, `asOf ${u.asOf} is the database's now`);
  });
});
