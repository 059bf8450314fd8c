import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import tls from 'node:tls';
import { mesosLink } from '@msched/dispatcher';
import { createLogger } from '@msched/logging';
import { SchedulerClient, StaticLeaderDetector, type DisconnectedInfo, type SubscribedInfo } from '@msched/mesos';
import { LocalMaster } from '@msched/mesos-local';
import { testConfig } from '../../helpers/stack';
import { createTestCa } from '../../helpers/test-ca';

const logger = createLogger({ service: 'test', level: 'error', stream: new Writable({ write: (_c, _e, cb) => cb() }) });
const framework = { user: 'root', name: 'msched-auth-test', roles: ['mpi'], failoverTimeoutSeconds: 60 };
const SECRET = 's3cret-of-airavata';

/** The first subscribed or disconnected event of a client. */
async function outcome(c: SchedulerClient): Promise<{ subscribed?: SubscribedInfo; disconnected?: DisconnectedInfo }> {
  const r = await Promise.race([
    once(c, 'subscribed').then(([s]) => ({ subscribed: s as SubscribedInfo })),
    once(c, 'disconnected').then(([d]) => ({ disconnected: d as DisconnectedInfo })),
  ]);
  return r;
}

describe('local master with framework authentication (HTTP Basic, as --authenticate_http_frameworks)', function () {
  this.timeout(30000);
  let master: LocalMaster;
  const clients: SchedulerClient[] = [];
  const client = (principal: string | undefined, credential?: { principal: string; secret: string }, o: { url?: string; ca?: string } = {}) => {
    const c = new SchedulerClient({
      detector: new StaticLeaderDetector(o.url ?? master.url), logger, reconnect: { initialMs: 60_000, maxMs: 60_000, multiplier: 1, jitter: 0 },
      framework: { ...framework, ...(principal ? { principal } : {}) }, ...(credential ? { credential } : {}), ...(o.ca ? { ca: o.ca } : {}),
    });
    clients.push(c);
    c.start();
    return c;
  };

  before(async () => {
    master = await LocalMaster.start({ port: 0, logger, frameworkCredentials: new Map([['airavata', SECRET]]) });
  });
  afterEach(() => { clients.splice(0).forEach((c) => c.stop()); });
  after(async () => { await master?.stop(); });

  it('refuses a dispatcher without the right secret (401) and accepts it with the secret', async () => {
    const none = await outcome(client('airavata'));
    assert.match(none.disconnected?.reason ?? '', /answered 401/);
    const wrong = await outcome(client('airavata', { principal: 'airavata', secret: 'guess' }));
    assert.match(wrong.disconnected?.reason ?? '', /answered 401/);
    assert.equal(master.core.snapshot().frameworks.length, 0, 'no framework registered');

    const right = client('airavata', { principal: 'airavata', secret: SECRET });
    const ok = await outcome(right);
    assert.ok(ok.subscribed, `expected SUBSCRIBED, got ${ok.disconnected?.reason}`);
    await right.revive();
    await right.reconcile();
  });

  it('refuses a FrameworkInfo.principal other than the authenticated one (403)', async () => {
    const r = await outcome(client('someone-else', { principal: 'airavata', secret: SECRET }));
    assert.match(r.disconnected?.reason ?? '', /answered 403/);
  });

  it('refuses calls on a subscribed framework\'s stream without its credentials', async () => {
    const c = client('airavata', { principal: 'airavata', secret: SECRET });
    const { subscribed } = await outcome(c);
    assert.ok(subscribed);
    const call = { framework_id: { value: subscribed.frameworkId }, type: 'REVIVE' };
    const post = (headers: Record<string, string>) => fetch(`${master.url}/api/v1/scheduler`, {
      method: 'POST', body: JSON.stringify(call),
      headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': subscribed.streamId, ...headers },
    });
    const anonymous = await post({});
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), 'Basic realm="mesos"');
    assert.equal((await post({ Authorization: `Basic ${Buffer.from(`airavata:${SECRET}`).toString('base64')}` })).status, 202);
  });

  it('talks HTTPS to a master whose certificate is of the CA in MSCHED_MESOS_CA_FILE, and refuses one it cannot verify', async () => {
    // The master behind a TLS terminator with a certificate of a CA made now, as a cluster with its own CA.
    const ca = createTestCa('mesos test CA');
    const cert = ca.issue('master', ['DNS:localhost', 'IP:127.0.0.1']);
    const masterPort = Number(new URL(master.url).port);
    const terminator = tls.createServer({ cert: cert.cert, key: cert.key }, (s) => {
      const up = net.connect(masterPort, '127.0.0.1');
      s.pipe(up).pipe(s);
      s.on('error', () => up.destroy());
      up.on('error', () => s.destroy());
    });
    await new Promise<void>((ok) => terminator.listen(0, '127.0.0.1', ok));
    const url = `https://localhost:${(terminator.address() as net.AddressInfo).port}`;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'msched-auth-'));
      writeFileSync(join(dir, 'secret'), SECRET, { mode: 0o600 });
      const link = mesosLink(testConfig({ MSCHED_MESOS_PRINCIPAL: 'airavata', MSCHED_MESOS_SECRET_FILE: join(dir, 'secret'), MSCHED_MESOS_CA_FILE: ca.caCertFile }));
      assert.equal(link.ca, ca.caCert);

      const untrusted = await outcome(client('airavata', link.credential, { url }));
      assert.match(untrusted.disconnected?.reason ?? '', /self[- ]signed certificate in certificate chain|unable to (verify|get local issuer)/);
      const trusted = client('airavata', link.credential, { url, ca: link.ca });
      const ok = await outcome(trusted);
      assert.ok(ok.subscribed, `expected SUBSCRIBED over https, got ${ok.disconnected?.reason}`);
      await trusted.revive(); // a call on the HTTPS call agent, with the credential
      assert.equal(master.core.snapshot().frameworks.filter((f) => f.info.principal === 'airavata').length >= 1, true);
    } finally {
      clients.splice(0).forEach((c) => c.stop());
      terminator.close();
    }
  });

  it('gives the dispatcher its credential from a file, and names the file (never the secret) when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'msched-auth-'));
    writeFileSync(join(dir, 'secret'), `${SECRET}\n`, { mode: 0o600 });
    const link = mesosLink(testConfig({ MSCHED_MESOS_PRINCIPAL: 'airavata', MSCHED_MESOS_SECRET_FILE: join(dir, 'secret') }));
    assert.deepEqual(link.credential, { principal: 'airavata', secret: SECRET });
    assert.deepEqual(mesosLink(testConfig({ MSCHED_MESOS_PRINCIPAL: 'airavata', MSCHED_MESOS_SECRET: SECRET })).credential, { principal: 'airavata', secret: SECRET });
    assert.deepEqual(mesosLink(testConfig({ MSCHED_MESOS_PRINCIPAL: 'airavata' })), {});
    assert.throws(() => mesosLink(testConfig({ MSCHED_MESOS_PRINCIPAL: 'airavata', MSCHED_MESOS_SECRET_FILE: join(dir, 'missing') })), /cannot read MSCHED_MESOS_SECRET_FILE: ENOENT/);
    assert.throws(() => mesosLink(testConfig({ MSCHED_MESOS_SECRET: SECRET })), (e: Error) => /MSCHED_MESOS_PRINCIPAL is empty/.test(e.message) && !e.message.includes(SECRET));
  });
});
