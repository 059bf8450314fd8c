import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleAccess, ConsolePrincipal, inScope, listScope, sessionSecretOf, SessionSigner, SessionTooLarge } from '@msched/console';
import { listSettings, loadConfig } from '@msched/config';
import { IdentityError, isConfiguredRealm, realmOfIssuer } from '@msched/identity';

const user = (userName: string, rights: { admin: boolean; readAll: boolean; use: boolean }, o: Partial<ConsolePrincipal> = {}): ConsolePrincipal => ({
  name: userName, canOperate: rights.admin, identity: { gatewayId: 'gw', userName, rights }, ...o,
});
const alice = user('alice', { admin: false, readAll: false, use: true }, { accessToken: 'eyJhbGciOi.alice-token.sig', expiresAtMs: 1_030_000 });
const carol = user('carol', { admin: false, readAll: true, use: false });
const dave = user('dave', { admin: true, readAll: true, use: true });

describe('console with Keycloak identities (unit)', () => {
  it('seals the session (AES-GCM): the token and rights come back only with the key, and never past the token\'s expiry', () => {
    let now = 1_000_000;
    const s = new SessionSigner('a session secret', 12 * 3600_000, () => now);
    const { value, maxAgeSeconds } = s.issue(alice);
    assert.equal(maxAgeSeconds, 30, 'the token\'s 30 s left, not the 12 h of a session');
    assert.ok(!value.includes('alice'));
    assert.ok(!Buffer.from(value, 'base64url').toString('latin1').includes('alice-token'));
    assert.deepEqual(s.verify(value), alice);
    assert.equal(new SessionSigner('another secret', 12 * 3600_000, () => now).verify(value), undefined);
    const bytes = Buffer.from(value, 'base64url');
    for (const i of [0, 13, bytes.length - 1]) {
      const flipped = Buffer.from(bytes);
      flipped[i] ^= 1;
      assert.equal(s.verify(flipped.toString('base64url')), undefined, `byte ${i} altered`);
    }
    now += 30_001;
    assert.equal(s.verify(value), undefined, 'the token expired, so did the session');
  });

  it('refuses to put a token too large for a cookie into one, naming the way out', () => {
    const s = new SessionSigner('k', 3600_000);
    const random = randomBytes(4000).toString('base64url');
    assert.throws(() => s.issue({ ...alice, accessToken: random, expiresAtMs: undefined }), (e: Error) => e instanceof SessionTooLarge && /Authorization: Bearer/.test(e.message));
  });

  it('decides by roles: users their own, read-only admins read the gateway, admins operate it; static tokens by kind', () => {
    const own = { gatewayId: 'gw', ownerUserName: 'alice' };
    const bobs = { gatewayId: 'gw', ownerUserName: 'bob' };
    assert.equal(consoleAccess(alice, 'read', own).allowed, true);
    assert.equal(consoleAccess(alice, 'read', bobs).allowed, false);
    assert.equal(consoleAccess(alice, 'operate', own).allowed, false);
    assert.equal(consoleAccess(carol, 'read', bobs).allowed, true);
    assert.equal(consoleAccess(carol, 'operate', bobs).allowed, false);
    assert.equal(consoleAccess(dave, 'operate', bobs).allowed, true);
    assert.equal(consoleAccess(dave, 'read', { gatewayId: 'other', ownerUserName: 'x' }).allowed, false);
    assert.equal(consoleAccess({ name: 'viewer', canOperate: false }, 'read', bobs).allowed, true);
    assert.match((consoleAccess({ name: 'viewer', canOperate: false }, 'operate', bobs) as { reason: string }).reason, /may only read/);
    assert.deepEqual([listScope(alice), listScope(carol), listScope({ name: 'operator', canOperate: true })], [{ gatewayId: 'gw', userName: 'alice' }, { gatewayId: 'gw' }, {}]);
    assert.equal(inScope(listScope(alice), { gatewayId: 'gw', userName: 'bob' }), false);
    assert.equal(inScope(listScope(carol), { gatewayId: 'gw', userName: 'bob' }), true);
  });

  it('takes the realm of a token only from the configured Keycloak and its configured realms', () => {
    assert.equal(realmOfIssuer('https://iam.example.org/auth/', 'https://iam.example.org/auth/realms/seagrid'), 'seagrid');
    for (const iss of ['https://evil.example.org/auth/realms/seagrid', 'https://iam.example.org/auth/realms/', 'https://iam.example.org/auth/realms/a/b', 42, undefined]) {
      assert.equal(realmOfIssuer('https://iam.example.org/auth', iss), undefined, String(iss));
    }
    const s = { url: 'x', defaultRealm: '', gatewayRealms: { seagrid: 'sg' } };
    assert.equal(isConfiguredRealm(s, 'sg'), true);
    assert.equal(isConfiguredRealm(s, 'master'), false);
    assert.equal(IdentityError.unavailable('down', true).kind, 'unavailable');
  });

  it('reads the session secret from a file or the environment; oidc in production needs one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-secret-'));
    writeFileSync(join(dir, 'secret'), '  from-a-file \n');
    writeFileSync(join(dir, 'empty'), '\n');
    const cfg = (env: Record<string, string>) => loadConfig({ MSCHED_API_AUTH_MODE: 'oidc', MSCHED_API_OIDC_URL: 'https://iam.example.org/auth', ...env });
    assert.equal(sessionSecretOf(cfg({ MSCHED_CONSOLE_SESSION_SECRET_FILE: join(dir, 'secret'), MSCHED_CONSOLE_SESSION_SECRET: 'env' })), 'from-a-file');
    assert.equal(sessionSecretOf(cfg({ MSCHED_CONSOLE_SESSION_SECRET: 'env' })), 'env');
    assert.equal(sessionSecretOf(cfg({})), '', 'development: a random key');
    assert.throws(() => sessionSecretOf(cfg({ MSCHED_ENV: 'production' })), /needs MSCHED_CONSOLE_SESSION_SECRET_FILE/);
    assert.throws(() => sessionSecretOf(cfg({ MSCHED_CONSOLE_SESSION_SECRET_FILE: join(dir, 'empty') })), /is empty/);
    assert.throws(() => sessionSecretOf(cfg({ MSCHED_CONSOLE_SESSION_SECRET_FILE: join(dir, 'none') })), /cannot read MSCHED_CONSOLE_SESSION_SECRET_FILE/);
    assert.equal(listSettings().find((x) => x.setting.env === 'MSCHED_CONSOLE_SESSION_SECRET')?.setting.secret, true, 'redacted wherever settings are shown');
  });
});
