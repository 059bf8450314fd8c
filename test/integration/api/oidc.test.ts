import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { exportSPKI, SignJWT } from 'jose';
import winston from 'winston';
import {
  AiravataSystemException, AuthorizationException, AuthzToken, enumName, exampleExperiment, ExperimentState, MetaSchedulerConnection,
} from '@msched/airavata-thrift';
import { createOidcAuthorizer } from '@msched/api';
import { OidcIssuer, passwordLogin } from '@msched/local-oidc';
import { requireStack, testConfig } from '../../helpers/stack';
import { NOTHING, ONE_LAUNCH, rowCounts, startTestApi, TestApi } from './harness';

const refused = (pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof AuthorizationException, `expected an AuthorizationException, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
  assert.match(e.message ?? '', pattern);
  return true;
};
const authz = (accessToken: string, userName: string, gatewayID = 'test-gateway') => new AuthzToken({ accessToken, claimsMap: { gatewayID, userName } });
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Gateways as an Airavata installation maps them: test-gateway → realm-a (RS256), gateway-b → realm-b (ES256). */
async function startIssuer(): Promise<OidcIssuer> {
  const idp = new OidcIssuer();
  await idp.start();
  await idp.addRealm('realm-a', 'RS256');
  await idp.addRealm('realm-b', 'ES256');
  await idp.addRealm('realm-x', 'RS256');
  idp.addUser('realm-a', 'alice', 'alice-pw');
  idp.addUser('realm-a', 'bob', 'bob-pw');
  idp.addUser('realm-a', 'carol', 'carol-pw', { realmRoles: ['admin-read-only'] });
  idp.addUser('realm-a', 'dave', 'dave-pw', { clientRoles: { pga: ['admin'] } });
  idp.addUser('realm-b', 'erin', 'erin-pw');
  return idp;
}

function oidcEnv(idp: OidcIssuer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    MSCHED_API_AUTH_MODE: 'oidc', MSCHED_API_OIDC_URL: idp.baseUrl, MSCHED_API_OIDC_DEFAULT_REALM: '',
    MSCHED_API_OIDC_GATEWAY_REALMS: 'test-gateway=realm-a,gateway-b=realm-b', MSCHED_API_OIDC_AUTHORIZED_PARTIES: 'pga',
    MSCHED_API_OIDC_ROLES_CLIENT: 'pga', MSCHED_API_OIDC_JWKS_COOLDOWN_SECONDS: '1', ...extra,
  };
}

describe('API with Keycloak tokens (oidc, integration against a local OpenID issuer)', function () {
  this.timeout(60000);
  let idp: OidcIssuer;
  let t: TestApi;
  let conn: MetaSchedulerConnection;
  const login = (realm: string, user: string) => passwordLogin(`${idp.issuer(realm)}/protocol/openid-connect/token`, 'pga', user, `${user}-pw`);

  before(async () => {
    await requireStack('postgres');
    idp = await startIssuer();
    t = await startTestApi('api_oidc', oidcEnv(idp));
    conn = await t.connect();
  });
  after(async () => {
    await t?.close();
    await idp?.stop();
  });

  it('lets a user who logged in at the gateway\'s realm launch and read her experiment', async () => {
    const token = authz(await login('realm-a', 'alice'), 'alice');
    const exp = exampleExperiment();
    const r = await conn.client.launchExperiment(token, exp);
    assert.equal(r.created, true);
    assert.deepEqual(await rowCounts(t.ds, r.experimentId), ONE_LAUNCH);
    assert.equal(enumName(ExperimentState, (await conn.client.getExperimentStatus(token, r.experimentId)).state), 'LAUNCHED');
    assert.equal((await conn.client.getJobs(token, r.experimentId)).length, 1);
  });

  it('accepts ES256 tokens of another gateway\'s realm for that gateway', async () => {
    const token = authz(await login('realm-b', 'erin'), 'erin', 'gateway-b');
    const r = await conn.client.launchExperiment(token, exampleExperiment({ gatewayId: 'gateway-b', userName: 'erin' }));
    assert.equal(r.created, true);
  });

  it('refuses bad tokens with the reason, writing nothing', async () => {
    const good = await idp.token('realm-a', 'alice');
    const [h, p] = good.split('.');
    const now = Math.floor(Date.now() / 1000);
    const claims = { exp: now + 300, iat: now, iss: idp.issuer('realm-a'), typ: 'Bearer', azp: 'pga', preferred_username: 'alice' };
    // The realm's own public key as an HMAC secret: the classic algorithm-confusion forgery.
    const jwks = await (await fetch(`${idp.issuer('realm-a')}/protocol/openid-connect/certs`)).json() as { keys: Array<{ kid: string }> };
    const { importJWK } = await import('jose');
    const pem = await exportSPKI(await importJWK(jwks.keys[0] as never, 'RS256') as never);
    const hsWithPublicKey = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: jwks.keys[0].kid }).sign(Buffer.from(pem));
    // Signed by another key under realm-a's kid and issuer.
    const otherKeyToken = await idp.token('realm-x', 'alice', { extra: { iss: idp.issuer('realm-a') }, headerKid: JSON.parse(Buffer.from(h, 'base64url').toString()).kid });
    const cases: Array<[string, AuthzToken, RegExp]> = [
      ['expired', authz(await idp.token('realm-a', 'alice', { expiresIn: -120 }), 'alice'), /access token expired at .*: get a new one/],
      ['another realm', authz(await idp.token('realm-x', 'alice'), 'alice'), /issued by "http:\/\/127\.0\.0\.1:\d+\/realms\/realm-x", but this gateway's realm "realm-a"/],
      ['user differs', authz(await idp.token('realm-a', 'bob'), 'alice'), /preferred_username "bob" is not claimsMap\.userName "alice"/],
      ['altered payload', authz(`${h}.${b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), realm_access: { roles: ['admin'] } })}.${good.split('.')[2]}`, 'alice'), /signature does not verify/],
      ['signed by another key', authz(otherKeyToken, 'alice'), /signature does not verify/],
      ['alg none', authz(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, 'alice'), /algorithm "none" is not accepted \(only RS256, ES256\)/],
      ['HS256 with the public key', authz(hsWithPublicKey, 'alice'), /algorithm "HS256" is not accepted/],
      ['another client', authz(await idp.token('realm-a', 'alice', { azp: 'evil-app' }), 'alice'), /issued to client "evil-app"/],
      ['an ID token', authz(await idp.token('realm-a', 'alice', { extra: { typ: 'ID' } }), 'alice'), /not an access token/],
      ['no claimsMap', new AuthzToken({ accessToken: good }), /claimsMap\.gatewayID is missing/],
      ['not a JWT', authz('opaque-garbage', 'alice'), /not a well-formed signed JWT/],
      ['no token', authz('', 'alice'), /no access token/],
    ];
    for (const [what, token, why] of cases) {
      const exp = exampleExperiment();
      await assert.rejects(conn.client.launchExperiment(token, exp), refused(why), what);
      assert.deepEqual(await rowCounts(t.ds, exp.experimentId as string), NOTHING, what);
    }
  });

  it('refuses a token of gateway A used for gateway B, and an experiment of another user', async () => {
    const alice = await login('realm-a', 'alice');
    const forB = exampleExperiment({ gatewayId: 'gateway-b', userName: 'alice' });
    await assert.rejects(conn.client.launchExperiment(authz(alice, 'alice', 'gateway-b'), forB), refused(/realms\/realm-a", but this gateway's realm "realm-b"/));
    await assert.rejects(conn.client.launchExperiment(authz(alice, 'alice', 'test-gateway'), forB), refused(/token is for gateway "test-gateway", not "gateway-b"/));
    await assert.rejects(conn.client.launchExperiment(authz(alice, 'alice', 'unmapped-gateway'), forB), refused(/gateway "unmapped-gateway" has no Keycloak realm here: add unmapped-gateway=<realm> to MSCHED_API_OIDC_GATEWAY_REALMS/));
    const bobs = exampleExperiment({ userName: 'bob' });
    await assert.rejects(conn.client.launchExperiment(authz(alice, 'alice'), bobs), refused(/belongs to user "bob", not user "alice"/));
    for (const e of [forB, bobs]) assert.deepEqual(await rowCounts(t.ds, e.experimentId as string), NOTHING);
  });

  it('lets only owners and admins terminate, read-only admins read, and nobody else see others\' experiments', async () => {
    const [alice, bob, carol, dave] = await Promise.all(['alice', 'bob', 'carol', 'dave'].map(async (u) => authz(await login('realm-a', u), u)));
    const r = await conn.client.launchExperiment(alice, exampleExperiment());
    const state = async () => enumName(ExperimentState, (await conn.client.getExperimentStatus(alice, r.experimentId)).state);

    await assert.rejects(conn.client.getExperimentStatus(bob, r.experimentId), refused(/belongs to user "alice", not user "bob"; only the gateway's admins and read-only admins/));
    await assert.rejects(conn.client.getJobs(bob, r.experimentId), refused(/belongs to user "alice"/));
    await assert.rejects(conn.client.terminateExperiment(bob, r.experimentId, 'test-gateway'), refused(/only the gateway's admins terminate others' experiments/));
    assert.equal(await state(), 'LAUNCHED');

    assert.equal(enumName(ExperimentState, (await conn.client.getExperimentStatus(carol, r.experimentId)).state), 'LAUNCHED');
    assert.equal((await conn.client.getProcessStatus(carol, r.processId)).processId, r.processId);
    await assert.rejects(conn.client.terminateExperiment(carol, r.experimentId, 'test-gateway'), refused(/only the gateway's admins terminate/));
    const carols = exampleExperiment({ userName: 'carol' });
    await assert.rejects(conn.client.launchExperiment(carol, carols), refused(/user "carol" may not launch experiments in gateway "test-gateway": a read-only admin/));
    assert.deepEqual(await rowCounts(t.ds, carols.experimentId as string), NOTHING);
    assert.equal(await state(), 'LAUNCHED');

    await conn.client.terminateExperiment(dave, r.experimentId, 'test-gateway');
    assert.equal(await state(), 'CANCELING');
    const own = await conn.client.launchExperiment(alice, exampleExperiment());
    await conn.client.terminateExperiment(alice, own.experimentId, 'test-gateway');
    assert.equal(enumName(ExperimentState, (await conn.client.getExperimentStatus(alice, own.experimentId)).state), 'CANCELING');
  });

  it('picks up a key rotation at the provider without a restart, refetching keys at most once per cooldown', async () => {
    const before = idp.jwksHits('realm-a');
    assert.ok(before >= 1, 'the keys were fetched for the earlier calls');
    await sleep(1100); // past the 1 s cooldown of the earlier fetches
    await idp.rotate('realm-a', { dropOld: true });
    const r = await conn.client.launchExperiment(authz(await login('realm-a', 'alice'), 'alice'), exampleExperiment());
    assert.equal(r.created, true);
    assert.equal(idp.jwksHits('realm-a'), before + 1);

    // A token naming a key the realm never published is refused, writing nothing.
    const exp = exampleExperiment();
    await assert.rejects(conn.client.launchExperiment(authz(await idp.token('realm-a', 'alice', { headerKid: 'never-published' }), 'alice'), exp), refused(/publishes no key "never-published"/));
    assert.deepEqual(await rowCounts(t.ds, exp.experimentId as string), NOTHING);
  });

  it('does not let a flood of unknown key ids refetch the realm\'s keys more than once per cooldown', async () => {
    const authorize = createOidcAuthorizer(testConfig(oidcEnv(idp, { MSCHED_API_OIDC_JWKS_COOLDOWN_SECONDS: '30' })).api.oidc);
    const hits = idp.jwksHits('realm-a');
    assert.equal((await authorize(authz(await idp.token('realm-a', 'alice'), 'alice'))).userName, 'alice');
    assert.equal(idp.jwksHits('realm-a'), hits + 1);
    const forged = await Promise.all(Array.from({ length: 20 }, (_, i) => idp.token('realm-a', 'alice', { headerKid: `unknown-${i}` })));
    const outcomes = await Promise.allSettled(forged.map((f) => authorize(authz(f, 'alice'))));
    assert.ok(outcomes.every((o) => o.status === 'rejected' && /publishes no key "unknown-\d+"/.test((o.reason as Error).message)));
    assert.equal(idp.jwksHits('realm-a'), hits + 1, 'no refetch within the cooldown');
  });

  it('allows the configured clock skew on expiry, checks the audience when configured, and refuses other algorithms', async () => {
    const authorize = createOidcAuthorizer(testConfig(oidcEnv(idp)).api.oidc); // skew: the default 30 s
    assert.equal((await authorize(authz(await idp.token('realm-a', 'alice', { expiresIn: -10 }), 'alice'))).userName, 'alice');
    await assert.rejects(Promise.resolve(authorize(authz(await idp.token('realm-a', 'alice', { expiresIn: -40 }), 'alice'))), /access token expired at .* \(30 s clock skew allowed\)/);

    const strict = createOidcAuthorizer(testConfig(oidcEnv(idp, { MSCHED_API_OIDC_AUDIENCE: 'msched-api' })).api.oidc);
    assert.equal((await strict(authz(await idp.token('realm-a', 'alice', { aud: ['account', 'msched-api'] }), 'alice'))).userName, 'alice');
    await assert.rejects(Promise.resolve(strict(authz(await idp.token('realm-a', 'alice', { aud: 'account' }), 'alice'))), /audience "account" is not one of msched-api \(MSCHED_API_OIDC_AUDIENCE/);

    // RS384 and PS256 by a key under the realm's kid: refused for the algorithm, before any key is tried.
    const kid = (JSON.parse(Buffer.from((await idp.token('realm-a', 'alice')).split('.')[0], 'base64url').toString()) as { kid: string }).kid;
    const { generateKeyPair } = await import('jose');
    const now = Math.floor(Date.now() / 1000);
    const claims = { exp: now + 300, iat: now, iss: idp.issuer('realm-a'), typ: 'Bearer', azp: 'pga', preferred_username: 'alice' };
    for (const alg of ['RS384', 'PS256']) {
      const { privateKey } = await generateKeyPair(alg);
      const token = await new SignJWT(claims).setProtectedHeader({ alg, kid }).sign(privateKey);
      await assert.rejects(Promise.resolve(authorize(authz(token, 'alice'))), new RegExp(`algorithm "${alg}" is not accepted \\(only RS256, ES256\\)`));
    }
  });

  it('answers a retriable system error, not a refusal, while the realm cannot be reached', async () => {
    const down = await startTestApi('api_oidc_down', oidcEnv(idp, { MSCHED_API_OIDC_URL: 'http://127.0.0.1:9', MSCHED_API_OIDC_HTTP_TIMEOUT_MS: '1000' }));
    try {
      const c = await down.connect();
      const exp = exampleExperiment();
      await assert.rejects(c.client.launchExperiment(authz(await idp.token('realm-a', 'alice'), 'alice'), exp), (e: unknown) => e instanceof AiravataSystemException);
      assert.deepEqual(await rowCounts(down.ds, exp.experimentId as string), NOTHING);
    } finally {
      await down.close();
    }
  });

  it('can verify tokens at the realm\'s userinfo endpoint instead, as Airavata does', async () => {
    const u = await startTestApi('api_oidc_userinfo', oidcEnv(idp, { MSCHED_API_OIDC_VERIFY: 'userinfo', MSCHED_API_OIDC_AUTHORIZED_PARTIES: '' }));
    try {
      const c = await u.connect();
      const r = await c.client.launchExperiment(authz(await login('realm-a', 'alice'), 'alice'), exampleExperiment());
      assert.equal(r.created, true);
      const exp = exampleExperiment();
      await assert.rejects(c.client.launchExperiment(authz(await idp.token('realm-a', 'alice', { expiresIn: -120 }), 'alice'), exp), refused(/does not accept the token \(userinfo HTTP 401\)/));
      await assert.rejects(c.client.launchExperiment(authz(await idp.token('realm-a', 'bob'), 'alice'), exp), refused(/preferred_username "bob"/));
      assert.deepEqual(await rowCounts(u.ds, exp.experimentId as string), NOTHING);
    } finally {
      await u.close();
    }
  });

  it('logs decisions with user, gateway and reason, never the token', async () => {
    const lines: string[] = [];
    const logger = winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream: new Writable({ write(c, _e, done) { lines.push(String(c)); done(); } }) })] });
    const authorize = createOidcAuthorizer(testConfig(oidcEnv(idp)).api.oidc, { logger });
    const good = await idp.token('realm-a', 'alice');
    const bad = await idp.token('realm-a', 'alice', { expiresIn: -120 });
    assert.equal((await authorize(authz(good, 'alice'))).userName, 'alice');
    await assert.rejects(Promise.resolve(authorize(authz(bad, 'alice'))), /expired/);
    const all = lines.join('');
    const messages = lines.map((l) => JSON.parse(l).message as string).join('\n');
    assert.match(messages, /token accepted for user "alice" of gateway "test-gateway"/);
    assert.match(messages, /token refused for user "alice" of gateway "test-gateway" \(realm realm-a\): the access token expired/);
    for (const tok of [good, bad]) for (const part of tok.split('.')) assert.ok(!all.includes(part), 'a token part appears in the log');
  });
});
