import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { AuthzToken, exampleExperiment, LaunchResult } from '@msched/airavata-thrift';
import type { RunningConsole } from '@msched/console';
import { CHROMIUM, startBrowser } from '../helpers/browser';
import { eventually } from '../helpers/eventually';
import { GATEWAY_USERS, KeycloakOp } from '../helpers/keycloak-op';
import { ApiHarness, startApiHarness } from '../helpers/pipeline';
import { requireStack } from '../helpers/stack';
import { startConsoleFor } from '../integration/console/harness';

/**
 * The console's pages with Keycloak tokens (MSCHED_API_AUTH_MODE=oidc) in headless Chromium, on the
 * real API and job database, against oidc-provider set up as Keycloak realms (test/helpers/keycloak-op.ts):
 * test-gateway → realm-a (alice and bob users, carol a read-only admin, dave an admin by the pga
 * client's roles), gateway-b and gateway-b2 → realm-b (erin). Users paste their access token; the
 * top bar says who they are and what they may do, and the buttons follow their rights. Experiments
 * are launched over Thrift with the users' tokens (no MPI run: the pages' rights are under test).
 * MSCHED_TEST_CONSOLE_SCREENSHOTS=DIR saves the Keycloak screenshots of docs/images there.
 */
const authz = (accessToken: string, userName: string, gatewayID = 'test-gateway') => new AuthzToken({ accessToken, claimsMap: { gatewayID, userName } });

describe('console with Keycloak tokens in a real browser (oidc)', function () {
  this.timeout(180000);
  let op: KeycloakOp;
  let h: ApiHarness;
  let c: RunningConsole;
  let browser: Awaited<ReturnType<typeof startBrowser>>;
  const tokens: Record<string, string> = {};
  const jobs: Record<string, LaunchResult> = {};
  let deadId: string;
  const alerts: string[] = [];
  const shots = process.env.MSCHED_TEST_CONSOLE_SCREENSHOTS;

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run deploy/local/install-deps.sh`);
    await requireStack('postgres', 'kafka');
    op = new KeycloakOp();
    await op.start();
    await op.addRealm('realm-a', { ...GATEWAY_USERS });
    await op.addRealm('realm-b', { erin: { password: 'erin-pw' } });
    h = await startApiHarness('console_oidc_browser', {
      MSCHED_API_AUTH_MODE: 'oidc', MSCHED_API_OIDC_URL: op.baseUrl, MSCHED_API_OIDC_DEFAULT_REALM: '',
      MSCHED_API_OIDC_GATEWAY_REALMS: 'test-gateway=realm-a,gateway-b=realm-b,gateway-b2=realm-b', MSCHED_API_OIDC_AUTHORIZED_PARTIES: 'pga',
      MSCHED_API_OIDC_ROLES_CLIENT: 'pga', MSCHED_CONSOLE_SESSION_SECRET: 'console-oidc-browser-session-secret-77e0',
    });
    c = await startConsoleFor(h);
    for (const u of ['alice', 'bob', 'carol', 'dave']) tokens[u] = await op.login('realm-a', u);
    tokens.erin = await op.login('realm-b', 'erin');
    const launch = async (key: string, user: string, gatewayId = 'test-gateway') => {
      const e = exampleExperiment({ userName: user, gatewayId });
      e.experimentName = `${key} experiment`;
      jobs[key] = await h.client.client.launchExperiment(authz(tokens[user], user, gatewayId), e);
    };
    await launch('alice1', 'alice');
    await launch('alice2', 'alice');
    await launch('bob1', 'bob');
    await launch('erin1', 'erin', 'gateway-b');
    // What the provisioner leaves when a stage of alice2 runs out of attempts: the stage dead, its process FAILED.
    const l = jobs.alice2;
    const work = { stage: 'stage-inputs', experimentId: l.experimentId, processId: l.processId, jobId: l.jobId, gatewayId: 'test-gateway', taskId: 't1' };
    await h.ds.query(`UPDATE processes SET state = 'FAILED' WHERE id = $1`, [l.processId]);
    [{ id: deadId }] = await h.ds.query(`INSERT INTO stage_runs (process_id, job_id, stage, state, attempts, last_error, work, dead_at)
      VALUES ($1, $2, 'stage-inputs', 'dead', 5, 'input unreachable', $3, now()) RETURNING id::text AS id`, [l.processId, l.jobId, JSON.stringify(work)]);
    browser = await startBrowser();
    if (shots) mkdirSync(shots, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await c?.close();
    await h?.close();
    await op?.stop();
  });

  const shot = async (page: Page, name: string) => { if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true }); };

  async function openLogin(): Promise<Page> {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(30000);
    // A confirm is a button's; any other dialog would be a script that ran.
    page.on('dialog', (d) => { if (d.type() === 'confirm') void d.accept(); else { alerts.push(d.message()); void d.dismiss(); } });
    await page.goto(new URL('/jobs', c.url).href);
    await page.getByPlaceholder('token').waitFor();
    return page;
  }

  /** Pastes the token (and the gateway when given) into the login page; waits for the top bar to say who is in. */
  async function logIn(user: string, who: string, gateway?: string): Promise<Page> {
    const page = await openLogin();
    await page.getByPlaceholder('token').fill(tokens[user]);
    if (gateway) await page.getByPlaceholder('gateway id').fill(gateway);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('who').filter({ hasText: who }).waitFor();
    assert.equal(await page.getByTestId('who').textContent(), who);
    return page;
  }

  async function logOut(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByPlaceholder('token').waitFor();
    await page.close();
  }

  /** The job ids of the jobs table once it shows `expected` rows. */
  async function listedJobs(page: Page, expected: number): Promise<Set<string>> {
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    const rows = page.locator('tr[data-job-id]');
    await eventually(`${expected} rows in the jobs table`, async () => (await rows.count()) === expected || undefined, 15000);
    return new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-job-id') ?? '')));
  }

  it('a user logs in with her token and sees only her own jobs, Cancel on hers (which cancels as her), and no Replay', async () => {
    const page = await logIn('alice', 'alice @ test-gateway — user');
    assert.deepEqual(await listedJobs(page, 2), new Set([jobs.alice1.jobId, jobs.alice2.jobId]), 'not bob\'s, not erin\'s');
    // The token stays out of the URL, the page's storage and the page's cookies (the session cookie is HttpOnly).
    const signature = tokens.alice.split('.')[2];
    assert.ok(!page.url().includes(signature));
    const kept = await page.evaluate(() => {
      const w = globalThis as unknown as { localStorage: object; sessionStorage: object; document: { cookie: string } };
      return JSON.stringify([Object.entries(w.localStorage), Object.entries(w.sessionStorage), w.document.cookie]);
    });
    assert.equal(kept, '[[],[],""]');
    await shot(page, 'console-keycloak-user');

    await page.locator(`tr[data-job-id="${jobs.alice1.jobId}"] a.name`).click();
    await page.getByTestId('experiment-name').filter({ hasText: 'alice1 experiment' }).waitFor();
    await page.getByTestId('cancel').click();
    await page.locator('[data-testid=experiment-state]', { hasText: 'CANCELING' }).waitFor();
    const [hist] = await h.ds.query(`SELECT reason FROM status_history WHERE entity_id = $1 AND state = 'CANCELING'`, [jobs.alice1.experimentId]);
    assert.match(hist.reason, /\balice\b/, 'the API canceled as alice');

    await page.getByRole('link', { name: 'Dead letters' }).click();
    const row = page.locator(`tr[data-dead-letter="${deadId}"]`);
    await row.waitFor();
    assert.equal(await row.getByRole('button').count(), 0, 'no Replay for a user');
    assert.match(await row.textContent() ?? '', /replay: gateway admins/);
    assert.deepEqual(alerts, []);
    await logOut(page);
  });

  it('a read-only admin sees the gateway\'s jobs and no Cancel', async () => {
    const page = await logIn('carol', 'carol @ test-gateway — read-only admin');
    assert.deepEqual(await listedJobs(page, 3), new Set([jobs.alice1.jobId, jobs.alice2.jobId, jobs.bob1.jobId]));
    await page.locator(`tr[data-job-id="${jobs.bob1.jobId}"] a.name`).click();
    await page.getByTestId('experiment-name').filter({ hasText: 'bob1 experiment' }).waitFor();
    assert.equal(await page.getByTestId('cancel').count(), 0);
    await logOut(page);
  });

  it('an admin sees Cancel on another user\'s job and replays the dead letter', async () => {
    const page = await logIn('dave', 'dave @ test-gateway — admin');
    assert.deepEqual(await listedJobs(page, 3), new Set([jobs.alice1.jobId, jobs.alice2.jobId, jobs.bob1.jobId]), 'not another gateway\'s');
    await page.locator(`tr[data-job-id="${jobs.bob1.jobId}"] a.name`).click();
    await page.getByTestId('experiment-name').filter({ hasText: 'bob1 experiment' }).waitFor();
    await page.getByTestId('cancel').waitFor();

    await page.getByRole('link', { name: 'Dead letters' }).click();
    const row = page.locator(`tr[data-dead-letter="${deadId}"]`);
    await row.getByRole('button', { name: 'Replay' }).click();
    await page.getByText(`replaying stage-inputs of job ${jobs.alice2.jobId}`).waitFor();
    await row.waitFor({ state: 'detached' });
    const [p] = await h.ds.query('SELECT state FROM processes WHERE id = $1', [jobs.alice2.processId]);
    assert.equal(p.state, 'REQUEUED');
    assert.deepEqual(alerts, []);
    await logOut(page);
  });

  it('a user whose realm serves several gateways is asked for hers, and names it on the login page', async () => {
    const page = await openLogin();
    await page.getByPlaceholder('token').fill(tokens.erin);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: /serves gateways gateway-b, gateway-b2: name the gateway at login/ }).waitFor();
    await page.getByPlaceholder('gateway id').fill('gateway-b');
    if (shots) await shot(page, 'console-keycloak-login');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('who').filter({ hasText: 'erin @ gateway-b — user' }).waitFor();
    assert.deepEqual(await listedJobs(page, 1), new Set([jobs.erin1.jobId]));
    assert.ok(!page.url().includes(tokens.erin.split('.')[2]), 'no token in the URL');
    await logOut(page);
  });
});
