import assert from 'node:assert/strict';
import { authenticatorFor, ConsoleConfigError, SessionSigner, staticAuthenticator, readCookie } from '@msched/console';

describe('console authentication (unit)', () => {
  it('static mode: the API token operates, the viewer token only reads, anything else is refused', () => {
    const a = staticAuthenticator({ operatorToken: 'op-secret', viewerToken: 'view-secret' });
    assert.deepEqual(a('op-secret'), { name: 'operator', canOperate: true });
    assert.deepEqual(a('view-secret'), { name: 'viewer', canOperate: false });
    for (const t of ['', 'op-secre', 'op-secret ', 'OP-SECRET', 'view-secret\0']) assert.equal(a(t), undefined, JSON.stringify(t));
  });

  it('refuses settings that would open the console or blur the roles', () => {
    assert.throws(() => staticAuthenticator({ operatorToken: '', viewerToken: '' }), ConsoleConfigError);
    assert.throws(() => staticAuthenticator({ operatorToken: 'same', viewerToken: 'same' }), /must differ/);
    assert.throws(() => authenticatorFor({ mode: 'none', secret: '', viewerToken: '', environment: 'production' }), /refused in production/);
    assert.equal(authenticatorFor({ mode: 'none', secret: '', viewerToken: '', environment: 'development' }), undefined);
    assert.throws(() => authenticatorFor({ mode: 'hmac', secret: 'k', viewerToken: '', environment: 'development' }), /static and none/);
  });

  it('sessions: signed, expiring, not forgeable, and carrying no token', () => {
    let now = 1_000_000;
    const s = new SessionSigner('op-secret', 60_000, () => now);
    const { value, maxAgeSeconds } = s.issue({ name: 'viewer', canOperate: false });
    assert.equal(maxAgeSeconds, 60);
    assert.ok(!value.includes('op-secret'));
    assert.deepEqual(s.verify(value), { name: 'viewer', canOperate: false });
    // Promoting oneself to operator breaks the signature.
    const [payload, sig] = value.split('.');
    const forged = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('"op":false', '"op":true')).toString('base64url');
    assert.equal(s.verify(`${forged}.${sig}`), undefined);
    assert.equal(new SessionSigner('other-secret', 60_000, () => now).verify(value), undefined, 'another key');
    for (const bad of [undefined, '', '.', 'abc', `${payload}.`, `.${sig}`]) assert.equal(s.verify(bad), undefined, String(bad));
    now += 60_001;
    assert.equal(s.verify(value), undefined, 'expired');
  });

  it('reads one cookie out of a Cookie header', () => {
    assert.equal(readCookie('a=1; msched_console=x.y; b=2', 'msched_console'), 'x.y');
    assert.equal(readCookie('xmsched_console=1', 'msched_console'), undefined);
    assert.equal(readCookie(undefined, 'msched_console'), undefined);
  });
});
