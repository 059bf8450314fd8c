import assert from 'node:assert/strict';
import { DataType } from '@msched/airavata-thrift';
import { serialExperiment, TOKEN } from '../../helpers/pipeline';
import { eventually } from '../../helpers/eventually';
import { requireStack } from '../../helpers/stack';
import { processEnds, startWholePipeline, type WholePipeline } from '../../helpers/whole-pipeline';

/**
 * Found by the 30-minute chaos run: an experiment canceled while its gang still waited ended FAILED,
 * not CANCELED. Its job never ran, yet collecting its outputs asked the master for the cluster's
 * state; the master was failing over, the stage ran out of attempts and failed the process. A job
 * that never launched has no sandbox: nothing of it needs the master.
 */
describe('provisioner: a cancel of a waiting gang while the master is away (integration)', function () {
  this.timeout(120_000);
  let h: WholePipeline;

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    h = await startWholePipeline('cancel_away', {
      cluster: { agents: 1, cpus: 1, mem: 1024 },
      applications: () => ({ sleep: { executable: '/bin/sleep', mpi: 'none', memMbPerRank: 32 } }),
      env: { MSCHED_STAGE_BACKOFF_INITIAL_MS: '100', MSCHED_STAGE_BACKOFF_MAX_MS: '300', MSCHED_STAGE_RETRY_POLL_MS: '100', MSCHED_STAGE_MAX_ATTEMPTS: '3' },
    });
  });
  after(async () => { await h?.stop(); });

  const sleeper = (seconds: string) => serialExperiment('sleep', [{ name: 'seconds', value: seconds, type: DataType.INTEGER }]);

  it('ends the process CANCELED without asking the master', async () => {
    const busy = await h.client.client.launchExperiment(TOKEN, sleeper('60'));
    await eventually('the first job to run', async () => (await h.ds.query(`SELECT 1 FROM tasks WHERE job_id = $1 AND state = 'TASK_RUNNING'`, [busy.jobId])).length > 0 || undefined, 60_000);
    const e = sleeper('1');
    const waiting = await h.client.client.launchExperiment(TOKEN, e);
    await eventually('the second gang to wait', async () => ((await h.ds.query('SELECT wait_reason FROM jobs WHERE id = $1', [waiting.jobId]))[0]?.wait_reason as string | null) ?? undefined, 60_000);

    await h.cluster.stop(); // the master (and its agent) away, as during a failover
    await h.client.client.terminateExperiment(TOKEN, e.experimentId!, 'test-gateway');
    assert.equal(await processEnds(h, waiting.processId, 60_000), 'CANCELED');
    const [job] = await h.ds.query('SELECT state, launched_at FROM jobs WHERE id = $1', [waiting.jobId]);
    assert.deepEqual([job.state, job.launched_at], ['CANCELED', null], 'it never ran');
  });
});
