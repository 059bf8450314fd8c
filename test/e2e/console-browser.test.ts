import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  ComputationalResourceSchedulingModel, DataType, ExperimentModel, ExperimentType, InputDataObjectType, OutputDataObjectType, UserConfigurationDataModel,
} from '@msched/airavata-thrift';
import type { RunningConsole } from '@msched/console';
import { CHROMIUM, startBrowser } from '../helpers/browser';
import { processEnds, compileDemoPi, startWholePipeline, WholePipeline } from '../helpers/whole-pipeline';
import { eventually } from '../helpers/eventually';
import { requireStack } from '../helpers/stack';
import { API_TOKEN, AUTH_ENV, OPERATOR_TOKEN, startConsoleFor } from '../integration/console/harness';

/**
 * The operator console driven in headless Chromium against the real stack: an MPI experiment
 * launched over Thrift shows up in the jobs table, its page shows the timeline and its ranks on
 * the agents they ran on, and turns COMPLETED live (no reload); a cancel from the page ends a
 * running job CANCELED; a job named like a script is shown as text. Screenshots go to
 * MSCHED_TEST_CONSOLE_SCREENSHOTS when it is set (docs/images takes them from there).
 */
describe('operator console in a real browser (real stack)', function () {
  this.timeout(240000);
  let h: WholePipeline;
  let c: RunningConsole;
  let browser: Awaited<ReturnType<typeof startBrowser>>;
  let page: Page;
  const alerts: string[] = [];
  const shots = process.env.MSCHED_TEST_CONSOLE_SCREENSHOTS;

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run deploy/local/install-deps.sh`);
    await requireStack('postgres', 'kafka', 'zookeeper');
    h = await startWholePipeline('console_e2e', {
      cluster: { agents: 2, cpus: 2, mem: 2048 },
      applications: (dir) => ({
        'pi-openmpi': { executable: compileDemoPi(dir, 'openmpi'), mpi: 'openmpi', memMbPerRank: 128 },
        sleep: { executable: '/bin/sleep', mpi: 'none', memMbPerRank: 32 },
      }),
      env: AUTH_ENV,
    });
    c = await startConsoleFor(h);
    browser = await startBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(60000);
    // A confirm is the cancel button's; any other dialog would be a script that ran.
    page.on('dialog', (d) => { if (d.type() === 'confirm') void d.accept(); else { alerts.push(d.message()); void d.dismiss(); } });
    if (shots) mkdirSync(shots, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await c?.close();
    await h?.stop();
  });

  const shot = async (name: string) => { if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true }); };

  function experiment(app: string, name: string, sched: { cpus: number; nodes: number }, inputs: InputDataObjectType[], outputs: OutputDataObjectType[] = []): ExperimentModel {
    return new ExperimentModel({
      experimentId: `CONSOLE_${app}_${Date.now().toString(36)}`, projectId: 'p', gatewayId: 'console-gw', experimentType: ExperimentType.SINGLE_APPLICATION,
      userName: 'ada', experimentName: name, executionId: app,
      userConfigurationData: new UserConfigurationDataModel({
        airavataAutoSchedule: false, overrideManualScheduledParams: false,
        computationalResourceScheduling: new ComputationalResourceSchedulingModel({
          resourceHostId: 'mesos-local', totalCPUCount: sched.cpus, nodeCount: sched.nodes, numberOfThreads: 1, queueName: 'normal', wallTimeLimit: 5,
        }),
      }),
      experimentInputs: inputs, experimentOutputs: outputs,
    });
  }

  it('without a token: the API answers 401 and the page asks for a token', async () => {
    const r = await browser.context.request.get(new URL('/api/jobs', c.url).href);
    assert.equal(r.status(), 401);
    assert.doesNotMatch(await r.text(), /jobId/);
    await page.goto(c.url);
    await page.getByPlaceholder('token').waitFor();
    await shot('console-login');
    await page.getByPlaceholder('token').fill('not the token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    await page.getByPlaceholder('token').fill(OPERATOR_TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    await page.locator('[data-testid=live].live-live').waitFor();
  });

  it('an MPI experiment appears in the table, its page shows timeline and ranks per agent, and turns COMPLETED live', async () => {
    // The page stays open from here on: every change below arrives without a reload.
    await page.evaluate(() => { (globalThis as unknown as { notReloaded: boolean }).notReloaded = true; });
    const name = '<script>alert(1)</script> pi';
    const e = experiment('pi-openmpi', name, { cpus: 4, nodes: 2 }, [
      new InputDataObjectType({ name: 'steps', value: '3000000', type: DataType.INTEGER, inputOrder: 1, requiredToAddedToCommandLine: true }),
      new InputDataObjectType({ name: 'label', value: '<img src=x onerror=alert(2)>', type: DataType.STRING, inputOrder: 2, requiredToAddedToCommandLine: true }),
    ], [new OutputDataObjectType({ name: 'console', type: DataType.STDOUT }), new OutputDataObjectType({ name: 'result', type: DataType.URI, value: 'result.txt' })]);
    const ids = await h.client.client.launchExperiment(API_TOKEN, e);

    const row = page.locator(`tr[data-job-id="${ids.jobId}"]`);
    await row.waitFor();
    assert.equal(await row.locator('a.name').textContent(), name, 'the name is text, not markup');
    await row.locator('a.name').click();
    await page.getByTestId('experiment-name').waitFor();
    assert.equal(await page.getByTestId('experiment-name').textContent(), name);

    await page.locator('[data-testid=experiment-state]', { hasText: 'COMPLETED' }).waitFor({ timeout: 150000 });
    assert.equal(await processEnds(h, ids.processId, 5000), 'COMPLETED');
    await page.locator('tr[data-history-state="COMPLETE"][data-entity="job"]').waitFor();
    await page.locator('[data-testid=stdout]', { hasText: 'rank 3 of 4' }).waitFor();
    await page.getByRole('link', { name: 'result.txt' }).waitFor();
    await shot('console-job');

    // Ranks drawn on the agents the database says they ran on.
    const tasks: Array<{ agent_id: string; ranks: number[] }> = await h.ds.query('SELECT agent_id, ranks FROM tasks WHERE job_id = $1', [ids.jobId]);
    assert.equal(tasks.length, 2);
    for (const t of tasks) {
      const shown = await page.locator(`[data-testid=ranks] .agent-box[data-agent="${t.agent_id}"] [data-rank]`).evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-rank'))));
      assert.deepEqual(shown.sort(), [...t.ranks].sort(), `ranks on ${t.agent_id}`);
    }
    // Every state of the experiment is on the timeline, each with how long it lasted.
    const states = await page.locator('tr[data-entity="experiment"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-history-state')));
    assert.deepEqual(states.slice(-1), ['COMPLETED']);
    assert.ok(states.includes('EXECUTING'), String(states));
    assert.equal(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded), true, 'no reload happened');
    assert.deepEqual(alerts, [], 'no script from the job ran');
  });

  it('the cluster page shows a running gang on its agent and a waiting one with why; a cancel from the job page ends the running one CANCELED', async () => {
    const e = experiment('sleep', 'sleeper', { cpus: 1, nodes: 1 }, [new InputDataObjectType({ name: 'seconds', value: '120', type: DataType.INTEGER, inputOrder: 1, requiredToAddedToCommandLine: true })]);
    const ids = await h.client.client.launchExperiment(API_TOKEN, e);
    await eventually('the job to run', async () => (await h.ds.query(`SELECT 1 FROM tasks WHERE job_id = $1 AND state = 'TASK_RUNNING'`, [ids.jobId])).length > 0 || undefined, 90000);

    // A gang of 4 ranks cannot start while the sleeper holds one of the 4 CPUs: it waits, and says why.
    const big = experiment('pi-openmpi', 'pi waiting for CPUs', { cpus: 4, nodes: 2 }, [
      new InputDataObjectType({ name: 'steps', value: '1000', type: DataType.INTEGER, inputOrder: 1, requiredToAddedToCommandLine: true }),
      new InputDataObjectType({ name: 'label', value: 'queued', type: DataType.STRING, inputOrder: 2, requiredToAddedToCommandLine: true }),
    ]);
    const bigIds = await h.client.client.launchExperiment(API_TOKEN, big);
    const reason = await eventually('the dispatcher to say why the gang waits', async () => ((await h.ds.query('SELECT wait_reason FROM jobs WHERE id = $1', [bigIds.jobId]))[0]?.wait_reason as string | null) ?? undefined, 90000);

    await page.getByRole('navigation').getByRole('link', { name: 'Cluster' }).click();
    const [task] = await h.ds.query('SELECT agent_id FROM tasks WHERE job_id = $1', [ids.jobId]);
    await page.locator(`.agent[data-agent="${task.agent_id}"] [data-job="${ids.jobId}"]`).waitFor();
    const waiting = page.locator(`table.waiting tr[data-job-id="${bigIds.jobId}"]`);
    // The reason is saved by the dispatcher, not announced by an event: the page reads it on its next refresh.
    await waiting.locator('td', { hasText: reason }).waitFor();
    assert.equal(await waiting.locator('td').last().textContent(), reason);
    await shot('console-cluster');

    await page.locator(`.agent[data-agent="${task.agent_id}"] .agent-gangs a`, { hasText: 'sleeper' }).click();
    await page.getByTestId('cancel').click();
    await page.locator('[data-testid=experiment-state]', { hasText: 'CANCELED' }).waitFor({ timeout: 90000 });
    assert.equal(await processEnds(h, ids.processId, 5000), 'CANCELED');
    const [t] = await h.ds.query('SELECT state FROM tasks WHERE job_id = $1', [ids.jobId]);
    assert.equal(t.state, 'TASK_KILLED');
    // The CPUs freed, the waiting gang runs: it leaves the queue on the cluster page by itself.
    await page.getByRole('navigation').getByRole('link', { name: 'Cluster' }).click();
    await page.getByRole('heading', { name: 'Cluster' }).waitFor();
    assert.equal(await processEnds(h, bigIds.processId), 'COMPLETED');
    await page.locator(`table.waiting tr[data-job-id="${bigIds.jobId}"]`).waitFor({ state: 'detached' });
    await page.getByRole('navigation').getByRole('link', { name: 'Jobs' }).click();
    await page.locator(`tr[data-job-id="${ids.jobId}"]`).waitFor();
    await shot('console-jobs');
    assert.deepEqual(alerts, []);
  });
});
