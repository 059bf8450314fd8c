import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDispatcher, type DispatcherHandle } from '@msched/dispatcher';
import type { SandboxLookup } from '@msched/mesos';
import type { JobEnded } from '@msched/model';
import { startProvisioner, parseCatalogue, type ProvisionerHandle, type ProvisionerOptions } from '@msched/provisioner';
import { serialExperiment, testLogger, TOKEN } from '../../helpers/pipeline';
import { eventually } from '../../helpers/eventually';
import { requireStack } from '../../helpers/stack';
import { processEnds, startWholePipeline, type WholePipeline } from '../../helpers/whole-pipeline';

const APPLICATIONS = { hello: { executable: '/bin/echo', args: ['hello from the sandbox'], mpi: 'none', memMbPerRank: 32 } };

/** The master (and the agent) do not answer: how a lookup fails during a master failover. */
const unreachable: SandboxLookup = async () => { throw new Error('injected: connect ECONNREFUSED (the master is failing over)'); };

/**
 * Issue 14: a COMPLETED experiment lost its outputs. The dispatcher's sandbox lookup failed (logged
 * at debug, never retried), tasks.sandbox_path stayed NULL, and the provisioner collected nothing
 * and still COMPLETED the process. Outputs are now found again at collect time, and a job whose
 * sandbox cannot be found is never COMPLETED silently.
 */
describe('provisioner: outputs of a job whose sandbox lookup failed (integration)', function () {
  this.timeout(240_000);
  let h: WholePipeline;
  const extra: Array<DispatcherHandle | ProvisionerHandle> = [];

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    h = await startWholePipeline('lostsbx', {
      cluster: { agents: 2, cpus: 2, mem: 1024 },
      applications: () => APPLICATIONS,
      env: { MSCHED_STAGE_BACKOFF_INITIAL_MS: '100', MSCHED_STAGE_BACKOFF_MAX_MS: '300', MSCHED_STAGE_RETRY_POLL_MS: '100', MSCHED_STAGE_MAX_ATTEMPTS: '3' },
    });
    // The dispatcher that leads from now on cannot look any sandbox up.
    await h.disp.stop();
    const disp = await startDispatcher(h.cfg, { logger: testLogger('dispatcher'), sandboxLookup: unreachable });
    extra.push(disp);
    await eventually('the dispatcher to lead and subscribe', () => disp.leader()?.isSubscribed || undefined, 60_000);
  });

  after(async () => {
    for (const x of extra) await x.stop().catch(() => undefined);
    await h?.stop();
  });

  async function launch() {
    const e = serialExperiment('hello', []);
    const ids = await h.client.client.launchExperiment(TOKEN, e);
    return { experimentId: e.experimentId!, processId: ids.processId, jobId: ids.jobId };
  }

  async function endReport(jobId: string): Promise<JobEnded> {
    const [row] = await h.ds.query(`SELECT envelope->'payload' AS p FROM outbox WHERE topic = 'jobEnded' AND envelope->'payload'->>'jobId' = $1`, [jobId]);
    return row.p as JobEnded;
  }

  it('finds the sandbox at collect time: the job COMPLETES with its stdout collected and its sandbox recorded', async () => {
    const l = await launch();
    assert.equal(await processEnds(h, l.processId), 'COMPLETED');
    // The failure was real: the job's end report carries no sandbox.
    assert.deepEqual((await endReport(l.jobId)).tasks.map((t) => t.sandboxPath), [undefined]);
    const stdout = join(h.dataRoot, 'test-gateway', l.experimentId, 'stdout');
    assert.ok(existsSync(stdout), `no stdout collected at ${stdout}`);
    assert.equal(readFileSync(stdout, 'utf8'), 'hello from the sandbox\n');
    const tasks: Array<{ sandbox_path: string | null }> = await h.ds.query('SELECT sandbox_path FROM tasks WHERE job_id = $1', [l.jobId]);
    assert.ok(tasks.length === 1 && tasks[0].sandbox_path, 'the sandbox found at collect time is recorded');
  });

  it('never COMPLETES a job whose sandbox cannot be found: collect-outputs is retried, then the process FAILS with the reason', async () => {
    // A provisioner that cannot find sandboxes either (the agent is gone and the master forgot them).
    await h.prov.stop();
    const opts = { logger: testLogger('provisioner'), catalogue: parseCatalogue({ applications: APPLICATIONS }), sandboxLookup: (async () => new Map()) as SandboxLookup };
    const prov = await startProvisioner(h.cfg, opts as ProvisionerOptions);
    extra.push(prov);
    const l = await launch();
    assert.equal(await processEnds(h, l.processId), 'FAILED');
    const [fail] = await h.ds.query(`SELECT reason FROM status_history WHERE entity_type = 'process' AND entity_id = $1 AND state = 'FAILED'`, [l.processId]);
    assert.match(fail.reason, /^collect-outputs failed after 3 attempts: the sandbox of task \S+ on agent \S+ is unknown/);
    const dlq = await h.ds.query(`SELECT envelope->'payload'->>'stage' AS stage FROM outbox WHERE topic = 'deadLetter' AND message_key = $1`, [l.experimentId]);
    assert.deepEqual(dlq.map((r: { stage: string }) => r.stage), ['collect-outputs']);
    const runs: Array<{ stage: string; state: string; attempts: number }> = await h.ds.query('SELECT stage, state, attempts FROM stage_runs WHERE job_id = $1', [l.jobId]);
    assert.deepEqual(runs.filter((r) => r.stage === 'collect-outputs').map((r) => [r.state, r.attempts]), [['dead', 3]]);
    const history: Array<{ state: string }> = await h.ds.query(`SELECT state FROM status_history WHERE entity_type = 'process' AND entity_id = $1 ORDER BY id`, [l.processId]);
    assert.ok(!history.some((r) => r.state === 'COMPLETED'), 'the process was never COMPLETED');
  });

  it('never COMPLETES a job whose sandbox is gone (garbage-collected before collection): retried, then FAILED with the reason', async () => {
    // The sandbox is known but holds nothing any more, as after an agent's --gc_delay ran out.
    for (const x of extra.splice(1)) await x.stop();
    const gone: SandboxLookup = async (_master, _framework, _timeout, wanted) =>
      new Map(([] as Array<{ taskId: string }>).concat(wanted ?? []).map((w) => [w.taskId, '/nonexistent/sandbox-removed-by-gc'] as [string, string]));
    const prov = await startProvisioner(h.cfg, { logger: testLogger('provisioner'), catalogue: parseCatalogue({ applications: APPLICATIONS }), sandboxLookup: gone } as ProvisionerOptions);
    extra.push(prov);
    const l = await launch();
    assert.equal(await processEnds(h, l.processId), 'FAILED');
    const [fail] = await h.ds.query(`SELECT reason FROM status_history WHERE entity_type = 'process' AND entity_id = $1 AND state = 'FAILED'`, [l.processId]);
    assert.match(fail.reason, /^collect-outputs failed after 3 attempts: the sandbox \/nonexistent\/sandbox-removed-by-gc of task \S+ on agent \S+ no longer holds its stdout/);
    const history: Array<{ state: string }> = await h.ds.query(`SELECT state FROM status_history WHERE entity_type = 'process' AND entity_id = $1 ORDER BY id`, [l.processId]);
    assert.ok(!history.some((r) => r.state === 'COMPLETED'), 'the process was never COMPLETED');
  });
});
