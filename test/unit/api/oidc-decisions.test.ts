import assert from 'node:assert/strict';
import { createLogger } from '@msched/logging';
import {
  ApiConfigError, createOidcAuthorizer, decideAccess, startApi, IdentityCache, issuerOf, parseDiscovery, principalFromClaims, Principal, realmOf, rightsOf, rolesOf,
  Unauthorized,
} from '@msched/api';
import { loadConfig } from '@msched/config';

const roles = { adminRoles: ['admin'], readOnlyAdminRoles: ['admin-read-only'], userRoles: [] as string[] };
const rules = { ...roles, gatewayClaim: '', rolesClient: 'pga', authorizedParties: [] as string[] };
const person = (userName: string, r: string[], o: Partial<typeof roles> = {}): Principal => ({ gatewayId: 'gw', userName, rights: rightsOf(r, { ...roles, ...o }) });
const allowed = (p: Principal, action: Parameters<typeof decideAccess>[1], owner: string, gatewayId = 'gw') => decideAccess(p, action, { gatewayId, ownerUserName: owner }).allowed;

describe('oidc authorization decisions', () => {
  describe('decideAccess', () => {
    const alice = person('alice', []);
    const carol = person('carol', ['admin-read-only']);
    const dave = person('dave', ['admin']);

    it('lets a user launch, read and terminate only her own experiments', () => {
      assert.deepEqual(['launch', 'validate', 'read', 'terminate', 'operate'].map((a) => allowed(alice, a as never, 'alice')), [true, true, true, true, false]);
      assert.deepEqual(['launch', 'validate', 'read', 'terminate'].map((a) => allowed(alice, a as never, 'bob')), [false, false, false, false]);
    });

    it('lets a read-only admin read every experiment of the gateway and change nothing', () => {
      assert.equal(allowed(carol, 'read', 'alice'), true);
      assert.equal(allowed(carol, 'validate', 'alice'), true);
      assert.equal(allowed(carol, 'launch', 'carol'), false);
      assert.equal(allowed(carol, 'terminate', 'alice'), false);
      assert.equal(allowed(carol, 'terminate', 'carol'), false);
      assert.equal(allowed(carol, 'operate', 'carol'), false);
      const d = decideAccess(carol, 'launch', { gatewayId: 'gw', ownerUserName: 'carol' });
      assert.ok(!d.allowed && /a read-only admin \(admin-read-only\) changes nothing/.test(d.reason));
    });

    it('lets an admin do everything in the gateway, but launch only as herself', () => {
      for (const a of ['read', 'terminate', 'operate', 'validate'] as const) assert.equal(allowed(dave, a, 'alice'), true, a);
      assert.equal(allowed(dave, 'launch', 'dave'), true);
      assert.equal(allowed(dave, 'launch', 'alice'), false);
    });

    it('never crosses gateways, whatever the roles', () => {
      for (const p of [alice, carol, dave]) for (const a of ['launch', 'read', 'terminate', 'operate'] as const) assert.equal(allowed(p, a, p.userName!, 'other'), false);
      const d = decideAccess(dave, 'read', { gatewayId: 'other', ownerUserName: 'dave' });
      assert.ok(!d.allowed && d.reason === 'the token is for gateway "gw", not "other"');
    });

    it('keeps the development modes (no rights) scoped by gateway only', () => {
      assert.equal(allowed({ gatewayId: 'gw' }, 'terminate', 'anyone'), true);
      assert.equal(allowed({}, 'launch', 'anyone', 'whatever'), true);
      assert.equal(allowed({ gatewayId: 'gw' }, 'read', 'anyone', 'other'), false);
    });

    it('requires a configured user role when there is one, naming it in the refusal', () => {
      const strict = { userRoles: ['gateway-user'] };
      assert.equal(allowed(person('alice', ['gateway-user'], strict), 'launch', 'alice'), true);
      const none = person('alice', ['offline_access'], strict);
      const d = decideAccess(none, 'terminate', { gatewayId: 'gw', ownerUserName: 'alice' });
      assert.ok(!d.allowed && /none of the roles or groups gateway-user \(MSCHED_API_OIDC_USER_ROLES\)/.test(d.reason));
      assert.equal(allowed(none, 'read', 'alice'), true, 'she still reads her own experiments');
      assert.equal(allowed(person('carol', ['admin-read-only', 'gateway-user'], strict), 'launch', 'carol'), true, 'a read-only admin who is also a user');
    });
  });

  describe('claims', () => {
    const claims = (o: Record<string, unknown> = {}) => ({ typ: 'Bearer', azp: 'pga', preferred_username: 'alice', realm_access: { roles: ['offline_access'] }, ...o });
    const claimed = { gatewayId: 'gw', userName: 'alice' };
    const why = (f: () => unknown) => { try { f(); } catch (e) { assert.ok(e instanceof Unauthorized); return e.message; } assert.fail('not refused'); };

    it('reads realm roles, the configured client\'s roles and groups (as Keycloak shapes them)', () => {
      const c = claims({ realm_access: { roles: ['a'] }, resource_access: { pga: { roles: ['b'] }, other: { roles: ['c'] } }, groups: ['/admins', 'x'] });
      assert.deepEqual(rolesOf(c, 'pga').sort(), ['a', 'admins', 'b', 'x']);
      assert.deepEqual(rolesOf(c, '').sort(), ['a', 'admins', 'x']);
      assert.deepEqual(rolesOf({ realm_access: { roles: 'admin' } }, 'pga'), [], 'a malformed claim grants nothing');
    });

    it('turns matching claims into the principal with rights', () => {
      const p = principalFromClaims(claims({ resource_access: { pga: { roles: ['admin'] } } }), claimed, rules);
      assert.deepEqual(p, { gatewayId: 'gw', userName: 'alice', rights: { admin: true, readAll: true, use: true, useDenied: undefined } });
    });

    it('refuses claims that do not match the call, naming the claim', () => {
      assert.match(why(() => principalFromClaims(claims({ preferred_username: 'bob' }), claimed, rules)), /preferred_username "bob" is not claimsMap.userName "alice"/);
      assert.match(why(() => principalFromClaims(claims({ preferred_username: undefined }), claimed, rules)), /no preferred_username/);
      assert.match(why(() => principalFromClaims(claims({ typ: 'Refresh' }), claimed, rules)), /"Refresh" token, not an access token/);
      assert.match(why(() => principalFromClaims(claims({ azp: 'x' }), claimed, { ...rules, authorizedParties: ['pga'] })), /issued to client "x"/);
      assert.match(why(() => principalFromClaims(claims({ gw: 'other' }), claimed, { ...rules, gatewayClaim: 'gw' })), /"gw" claim is "other", not claimsMap.gatewayID "gw"/);
      assert.equal(principalFromClaims(claims({ gw: 'gw' }), claimed, { ...rules, gatewayClaim: 'gw' }).userName, 'alice');
    });
  });

  describe('realms and discovery', () => {
    const s = { url: 'https://iam.example.org/auth/', defaultRealm: 'default', gatewayRealms: { seagrid: 'sg-realm' } };
    it('maps gateways to realms and realms to Keycloak issuers', () => {
      assert.equal(realmOf(s, 'seagrid'), 'sg-realm');
      assert.equal(realmOf(s, 'other'), 'default');
      assert.throws(() => realmOf({ ...s, defaultRealm: '' }, 'other'), /add other=<realm> to MSCHED_API_OIDC_GATEWAY_REALMS/);
      assert.equal(realmOf(s, 'constructor'), 'default', 'only configured gateways, not inherited properties');
      assert.equal(issuerOf(s.url, 'sg-realm'), 'https://iam.example.org/auth/realms/sg-realm');
    });

    it('insists the discovery document names the expected issuer', () => {
      const iss = 'https://iam.example.org/auth/realms/a';
      assert.deepEqual(parseDiscovery({ issuer: iss, jwks_uri: `${iss}/certs`, userinfo_endpoint: `${iss}/ui` }, iss), { jwksUri: `${iss}/certs`, userinfoEndpoint: `${iss}/ui` });
      assert.throws(() => parseDiscovery({ issuer: 'http://keycloak:8080/realms/a', jwks_uri: 'x' }, iss), /reports issuer "http:\/\/keycloak:8080\/realms\/a".*KC_HOSTNAME/);
      assert.throws(() => parseDiscovery({ issuer: iss }, iss), /no jwks_uri/);
    });

    it('refuses to start oidc without the Keycloak URL or with an unreadable CA file', () => {
      const oidc = loadConfig({}).api.oidc;
      assert.throws(() => createOidcAuthorizer(oidc), /needs MSCHED_API_OIDC_URL/);
      assert.throws(() => createOidcAuthorizer({ ...oidc, url: 'https://x', caFile: '/nonexistent/ca.pem' }), /cannot read MSCHED_API_OIDC_CA_FILE/);
    });
  });

  describe('IdentityCache', () => {
    const p: Principal = { gatewayId: 'gw', userName: 'alice' };
    it('keeps an identity until the earlier of its period and the token\'s expiry', () => {
      let now = 1_000_000;
      const c = new IdentityCache(60_000, 10, () => now);
      const k = IdentityCache.key('tok', 'gw', 'alice');
      c.set(k, p, now + 10_000);
      assert.equal(c.get(k), p);
      now += 10_000;
      assert.equal(c.get(k), undefined, 'expired with the token');
      c.set(k, p, now + 3_600_000);
      now += 59_999;
      assert.equal(c.get(k), p);
      now += 1;
      assert.equal(c.get(k), undefined, 'expired with the period');
      c.set(k, p, now - 1);
      assert.equal(c.size, 0, 'an expired token is not cached');
    });

    it('separates tokens by claimed gateway and user, stays bounded, and can be off', () => {
      assert.notEqual(IdentityCache.key('tok', 'gw', 'alice'), IdentityCache.key('tok', 'gw', 'bob'));
      assert.notEqual(IdentityCache.key('tok', 'gw', 'alice'), IdentityCache.key('tok', 'gw2', 'alice'));
      assert.ok(!IdentityCache.key('secret-token', 'gw', 'alice').includes('secret-token'));
      const c = new IdentityCache(60_000, 3);
      for (let i = 0; i < 5; i++) c.set(`k${i}`, p);
      assert.equal(c.size, 3);
      assert.equal(c.get('k0'), undefined);
      assert.equal(c.get('k4'), p);
      const off = new IdentityCache(0, 3);
      off.set('k', p);
      assert.equal(off.get('k'), undefined);
    });
  });

  describe('the mode in production', () => {
    const logger = createLogger({ service: 'test', silent: true });
    // startApi refuses before it touches the database, so none is given.
    const start = (env: Record<string, string>) => startApi({ config: loadConfig(env), ds: undefined as never, logger, port: 0, relay: false });

    it('checks Keycloak tokens (oidc) unless told otherwise, in production and elsewhere', () => {
      assert.equal(loadConfig({}).api.authMode, 'oidc');
      assert.equal(loadConfig({ MSCHED_ENV: 'production' }).api.authMode, 'oidc');
    });

    it('will not start in production without token checks, nor in oidc mode without the Keycloak URL', async () => {
      await assert.rejects(start({ MSCHED_ENV: 'production', MSCHED_API_AUTH_MODE: 'none' }), (e: Error) => e instanceof ApiConfigError && /MSCHED_API_AUTH_MODE=none is refused in production: use oidc/.test(e.message));
      await assert.rejects(start({ MSCHED_ENV: 'production' }), (e: Error) => e instanceof ApiConfigError && /needs MSCHED_API_OIDC_URL/.test(e.message));
    });
  });
});
