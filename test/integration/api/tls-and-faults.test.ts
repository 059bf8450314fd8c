import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AiravataErrorType, AiravataSystemException, AuthzToken, connectMetaScheduler, exampleExperiment,
} from '@msched/airavata-thrift';
import { requireStack } from '../../helpers/stack';
import { startTestApi, TestApi } from './harness';

const token = new AuthzToken({ accessToken: 'dev' });

describe('the API over TLS (integration)', function () {
  let dir: string;
  let t: TestApi;

  before(async () => {
    await requireStack('postgres');
    dir = mkdtempSync(join(tmpdir(), 'msched-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    t = await startTestApi('api_tls', { MSCHED_API_TLS_CERT: join(dir, 'cert.pem'), MSCHED_API_TLS_KEY: join(dir, 'key.pem') });
  });
  after(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a client that trusts the certificate', async () => {
    const conn = await t.connect({ tls: { ca: readFileSync(join(dir, 'cert.pem')) } });
    assert.equal((await conn.client.launchExperiment(token, exampleExperiment())).created, true);
  });

  it('gives a plain-TCP client no answer but a closed connection', async () => {
    const plain = await connectMetaScheduler({ host: '127.0.0.1', port: t.api.port, callTimeoutMs: 5000 });
    await assert.rejects(plain.client.getAPIVersion(), /closed|no answer/);
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await assert.rejects(t.connect({ tls: {} }), /self.signed|certificate/i);
  });
});

describe('faults inside the API (integration)', function () {
  let t: TestApi;

  before(async () => {
    await requireStack('postgres');
    t = await startTestApi('api_faults');
  });
  after(async () => { await t?.close(); });

  it('answers AiravataSystemException when the database fails, and serves again once it is back', async () => {
    const conn = await t.connect();
    await t.ds.query('ALTER TABLE experiments RENAME TO experiments_away');
    try {
      const exp = exampleExperiment();
      await assert.rejects(conn.client.launchExperiment(token, exp), (e: unknown) => {
        assert.ok(e instanceof AiravataSystemException, String(e));
        assert.equal(e.airavataErrorType, AiravataErrorType.INTERNAL_ERROR);
        assert.match(e.message ?? '', /internal error of the meta-scheduler \(ref [0-9a-f-]{36}\)/);
        assert.doesNotMatch(e.message ?? '', /experiments|relation|SQL/i, 'no internals leak to the client');
        return true;
      });
      await assert.rejects(conn.client.getExperimentStatus(token, exp.experimentId as string), AiravataSystemException);
    } finally {
      await t.ds.query('ALTER TABLE experiments_away RENAME TO experiments');
    }
    assert.equal((await conn.client.launchExperiment(token, exampleExperiment())).created, true);
  });
});
