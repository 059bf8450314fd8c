import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { CHROMIUM, startBrowser } from '../helpers/browser';
import { eventually, GiveUp } from '../helpers/eventually';
import { freePort } from '@msched/devstack';
import { dbUrlFor, requireStack, RUN_ID } from '../helpers/stack';

const REPO = join(__dirname, '../../..');

/**
 * `npm run demo` as an operator meets it: it prints the console's URL and the file that holds the
 * login token (the token itself is never printed), and that console, opened in a real browser,
 * shows the demo's job. --hold keeps the services up until the test is done looking (as Enter does
 * on a terminal). The demo runs on this run's own database, topics, ZooKeeper root and ports.
 */
describe('npm run demo: its console shows the demo\'s job (real stack, real browser)', function () {
  this.timeout(600000);
  let demo: ChildProcess | undefined;
  let output = '';
  let browser: Awaited<ReturnType<typeof startBrowser>> | undefined;

  const printed = (re: RegExp, what: string, ms: number) => eventually(what, async () => {
    if (demo?.exitCode !== null && demo?.exitCode !== undefined) throw new GiveUp(`the demo exited (${demo.exitCode}) before ${what}:\n${output}`);
    return re.exec(output) ?? undefined;
  }, ms);

  after(async () => {
    await browser?.close();
    if (demo && demo.exitCode === null) {
      // End of stdin is Enter's end: the demo stops its services itself.
      demo.stdin?.end();
      const exited = new Promise((r) => demo!.once('exit', r));
      const timer = setTimeout(() => demo?.kill('SIGKILL'), 60000);
      await exited;
      clearTimeout(timer);
    }
  });

  it('prints the console URL and where the token is; logged in with it, the page shows the job COMPLETED', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run deploy/local/install-deps.sh`);
    await requireStack('postgres', 'kafka', 'zookeeper');
    const database = `msched_${RUN_ID}_demo`;
    const admin = new Client({ connectionString: dbUrlFor('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`).finally(() => admin.end());

    demo = spawn(process.execPath, [join(REPO, 'packages/demo/dist/main.js'), '--hold'], {
      cwd: REPO,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        MSCHED_DATABASE_URL: dbUrlFor(database),
        MSCHED_KAFKA_TOPIC_PREFIX: `msched.${RUN_ID}.demo.`,
        MSCHED_ZK_ROOT: `/msched-test/${RUN_ID}/demo`,
        MSCHED_API_PORT: String(await freePort()),
        MSCHED_API_HEALTH_PORT: String(await freePort()),
        MSCHED_PROVISIONER_HEALTH_PORT: '0',
        MSCHED_DISPATCHER_HEALTH_PORT: '0',
        MSCHED_CONSOLE_PORT: String(await freePort()),
        MSCHED_LOG_LEVEL: 'warn',
      },
    });
    demo.stdout!.on('data', (b: Buffer) => { output += b.toString(); });
    demo.stderr!.on('data', (b: Buffer) => { output += b.toString(); });

    const [, url] = await printed(/operator console: (http:\/\/\S+\/)/, 'the console URL', 300000);
    const [, tokenFile] = await printed(/log in with the token in (\S+)/, 'where the token is', 5000);
    const [, jobId] = await printed(/\bjob +(JOB_\S+)/, 'the job id', 120000);
    const token = readFileSync(tokenFile, 'utf8');
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600, 'the token file is readable by its owner only');
    assert.ok(!output.includes(token.trim()), 'the token is never printed');

    browser = await startBrowser();
    const page = await browser.context.newPage();
    page.setDefaultTimeout(120000);
    await page.goto(url);
    // As an operator pastes it from `cat`: the trailing newline must not matter.
    await page.getByPlaceholder('token').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator(`tr[data-job-id="${jobId}"] a.name`).click();
    await page.locator('[data-testid=experiment-state]', { hasText: 'COMPLETED' }).waitFor({ timeout: 300000 });
    await page.locator('[data-testid=ranks] [data-rank]').first().waitFor();
    assert.equal(await page.locator('[data-testid=ranks] [data-rank]').count(), 4, 'the demo\'s 4 ranks are drawn');
    assert.ok(!page.url().includes(token.trim()), 'no token in the URL');

    await printed(/SUCCESS/, 'the demo\'s verdict', 60000);
    await printed(/press Enter to stop the services/, 'the demo holding its console', 10000);
    demo.stdin!.end('\n');
    const code = await new Promise<number | null>((r) => demo!.once('exit', r));
    assert.equal(code, 0, output);
  });
});
