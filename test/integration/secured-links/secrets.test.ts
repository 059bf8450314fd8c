import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { resolve } from 'node:path';
import { AuthorizationException, AuthzToken, connectMetaScheduler, exampleExperiment } from '@msched/airavata-thrift';
import { OidcIssuer } from '@msched/local-oidc';
import { freePort } from '@msched/devstack';
import { ownDatabase } from '../../helpers/own-database';
import { requireStack } from '../../helpers/stack';

const ROOT = resolve(__dirname, '../../../..');

/**
 * Issue 20: secrets come from files or the environment, never the command line, and appear in no
 * log, error or /metrics. The API as its own process (services/api/dist/main.js) with every secret
 * it can be given set, logging at debug, takes accepted and refused Keycloak tokens; then its
 * command line, its whole output, the errors its clients got and its /metrics are searched for
 * each secret and each part of each token.
 */
describe('secrets stay out of the command line, logs, errors and /metrics (the API as a process)', function () {
  this.timeout(60000);
  const DB_PASSWORD = 'db-Pa55-0f-the-test';
  const SECRETS = {
    MSCHED_API_AUTH_SECRET: 'api-secret-0f-the-test',
    MSCHED_KAFKA_SASL_PASSWORD: 'kafka-Pa55-0f-the-test',
    MSCHED_MESOS_SECRET: 'mesos-secret-0f-the-test',
    MSCHED_CONSOLE_VIEWER_TOKEN: 'viewer-token-0f-the-test',
  };
  let idp: OidcIssuer;
  let child: ChildProcess | undefined;
  let output = '';

  before(async () => {
    await requireStack('postgres');
    idp = new OidcIssuer();
    await idp.start();
    await idp.addRealm('realm-a');
  });
  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    await idp?.stop();
  });

  it('keeps every secret and token out of argv, the log, the answers and /metrics', async () => {
    const { cfg, ds } = await ownDatabase('api_secrets');
    await ds.destroy();
    const dbUrl = cfg.database.url.replace('://postgres@', `://postgres:${DB_PASSWORD}@`);
    assert.ok(dbUrl.includes(DB_PASSWORD), 'the database URL carries a password (ignored by the trusting test server)');
    const [port, healthPort] = [await freePort(), await freePort()];
    child = spawn(process.execPath, [resolve(ROOT, 'services/api/dist/main.js')], {
      env: {
        PATH: process.env.PATH, MSCHED_ENV: 'test', MSCHED_LOG_LEVEL: 'debug', MSCHED_DATABASE_URL: dbUrl,
        MSCHED_API_PORT: String(port), MSCHED_API_HEALTH_PORT: String(healthPort), MSCHED_API_RUN_RELAY: 'false',
        MSCHED_API_AUTH_MODE: 'oidc', MSCHED_API_OIDC_URL: idp.baseUrl, MSCHED_API_OIDC_DEFAULT_REALM: 'realm-a',
        MSCHED_KAFKA_TOPIC_PREFIX: `msched.secrets${port}.`, ...SECRETS,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c) => { output += String(c); });
    child.stderr!.on('data', (c) => { output += String(c); });
    for (let i = 0; ; i++) {
      const up = await new Promise<boolean>((ok) => {
        const s = net.connect(port, '127.0.0.1', () => { s.destroy(); ok(true); });
        s.on('error', () => ok(false));
      });
      if (up) break;
      assert.ok(child.exitCode === null && i < 300, `the API did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const good = await idp.token('realm-a', 'alice');
    const expired = await idp.token('realm-a', 'alice', { expiresIn: -120 });
    const otherUser = await idp.token('realm-a', 'bob');
    const authz = (accessToken: string) => new AuthzToken({ accessToken, claimsMap: { gatewayID: 'test-gateway', userName: 'alice' } });
    const answers: string[] = [];
    const conn = await connectMetaScheduler({ host: '127.0.0.1', port, transport: cfg.api.transport });
    try {
      const r = await conn.client.launchExperiment(authz(good), exampleExperiment());
      assert.equal(r.created, true);
      for (const bad of [expired, otherUser, `${good}x`]) {
        await assert.rejects(conn.client.launchExperiment(authz(bad), exampleExperiment()), (e: unknown) => {
          assert.ok(e instanceof AuthorizationException);
          answers.push(e.message ?? '');
          return true;
        });
      }
    } finally {
      await conn.close();
    }
    const metrics = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
    const ready = await (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).text();
    const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));

    // The checks above really happened and were logged.
    const messages = output.split('\n').filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { message: string }).message).join('\n');
    assert.match(messages, /token refused for user "alice" of gateway "test-gateway" \(realm realm-a\): the access token expired/);
    assert.match(messages, /token accepted for user "alice"/);
    assert.match(messages, /postgres:\/\/postgres:<redacted>@/);
    assert.match(metrics, /msched_launches_total\{outcome="rejected",service="api"\} 3/);
    assert.equal(answers.length, 3);

    const places = { argv, output, metrics, ready, answers: answers.join('\n') };
    const secrets = [DB_PASSWORD, ...Object.values(SECRETS), ...[good, expired, otherUser].flatMap((t) => t.split('.'))];
    for (const [where, text] of Object.entries(places)) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `${where} shows a secret or token part (${secret.slice(0, 6)}...)`);
    }
  });
});
