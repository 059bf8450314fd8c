import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { exampleExperiment, LaunchResult } from '@msched/airavata-thrift';
import type { RunningConsole } from '@msched/console';
import type { ApiHarness } from '../helpers/pipeline';
import { CHROMIUM, startBrowser } from '../helpers/browser';
import { requireStack } from '../helpers/stack';
import { API_TOKEN, OPERATOR_TOKEN, startConsoleHarness, VIEWER_TOKEN } from '../integration/console/harness';

/**
 * The dead-letter page and the read-only token in headless Chromium, on the real API and job
 * database: a viewer sees the dead letter (its error as text) and no button that changes anything;
 * the operator replays it from the page, the process is requeued and the row leaves the list.
 */
describe('console dead letters and the read-only token in a real browser', function () {
  this.timeout(180000);
  let h: ApiHarness;
  let c: RunningConsole;
  let close: () => Promise<void>;
  let browser: Awaited<ReturnType<typeof startBrowser>>;
  let launched: LaunchResult;
  let deadId: string;
  const alerts: string[] = [];
  const lastError = 'input unreachable: <img src=x onerror=alert(3)>';

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run deploy/local/install-deps.sh`);
    await requireStack('postgres', 'kafka');
    ({ h, c, close } = await startConsoleHarness('console_dlq_browser'));
    launched = await h.client.client.launchExperiment(API_TOKEN, exampleExperiment({ userName: 'ada' }));
    const work = { stage: 'stage-inputs', experimentId: launched.experimentId, processId: launched.processId, jobId: launched.jobId, gatewayId: 'test-gateway', taskId: 't1' };
    // What the provisioner leaves when a stage runs out of attempts: the stage dead, its process FAILED.
    await h.ds.query(`UPDATE processes SET state = 'FAILED' WHERE id = $1`, [launched.processId]);
    [{ id: deadId }] = await h.ds.query(`INSERT INTO stage_runs (process_id, job_id, stage, state, attempts, last_error, work, dead_at)
      VALUES ($1, $2, 'stage-inputs', 'dead', 5, $3, $4, now()) RETURNING id::text AS id`, [launched.processId, launched.jobId, lastError, JSON.stringify(work)]);
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
    await close?.();
  });

  async function loggedIn(token: string): Promise<Page> {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(60000);
    page.on('dialog', (d) => { if (d.type() === 'confirm') void d.accept(); else { alerts.push(d.message()); void d.dismiss(); } });
    await page.goto(new URL('/dead-letters', c.url).href);
    await page.getByPlaceholder('token').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Dead letters' }).waitFor();
    return page;
  }

  it('a viewer sees the dead letter and its error as text, with nothing to press', async () => {
    const page = await loggedIn(VIEWER_TOKEN);
    const row = page.locator(`tr[data-dead-letter="${deadId}"]`);
    await row.waitFor();
    assert.equal(await row.locator('pre').textContent(), lastError);
    assert.equal(await row.getByRole('button').count(), 0);
    assert.match(await row.textContent() ?? '', /read-only/);
    await page.getByText('viewer (read-only)').waitFor();
    // Nor on the job page: a viewer cannot cancel.
    await row.getByRole('link', { name: launched.jobId }).click();
    await page.getByTestId('experiment-name').waitFor();
    assert.equal(await page.getByTestId('cancel').count(), 0);
    assert.deepEqual(alerts, []);
    // Logging out ends the session: the API answers 401 to the same browser.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByPlaceholder('token').waitFor();
    assert.equal((await page.request.get(new URL('/api/dead-letters', c.url).href)).status(), 401);
    await page.close();
  });

  it('the operator replays it from the page: the process is requeued and the row leaves the list', async () => {
    const page = await loggedIn(OPERATOR_TOKEN);
    const row = page.locator(`tr[data-dead-letter="${deadId}"]`);
    await row.getByRole('button', { name: 'Replay' }).click();
    await page.getByText(`replaying stage-inputs of job ${launched.jobId}`).waitFor();
    await row.waitFor({ state: 'detached' });
    const [p] = await h.ds.query('SELECT state FROM processes WHERE id = $1', [launched.processId]);
    assert.equal(p.state, 'REQUEUED');
    const [history] = await h.ds.query(`SELECT reason FROM status_history WHERE entity_id = $1 AND state = 'REQUEUED'`, [launched.processId]);
    assert.match(String(history?.reason), /replay by console:operator/, 'the history names who replayed');
    assert.deepEqual(alerts, []);
  });
});
