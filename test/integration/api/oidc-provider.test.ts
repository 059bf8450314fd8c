import assert from 'node:assert/strict';
import { exportJWK, exportSPKI, generateKeyPair, importJWK, JWK, SignJWT } from 'jose';
import {
  AuthorizationException, AuthzToken, enumName, exampleExperiment, ExperimentModel, ExperimentState, MetaSchedulerConnection,
} from '@msched/airavata-thrift';
import { KeycloakOp } from '../../helpers/keycloak-op';
import { requireStack } from '../../helpers/stack';
import { NOTHING, ONE_LAUNCH, rowCounts, startTestApi, TestApi } from './harness';

/**
 * The API against the certified OpenID provider from npm (`oidc-provider`) set up as two Keycloak
 * realms (test/helpers/keycloak-op.ts): issuers http://127.0.0.1:PORT/realms/<realm>, users who log
 * in over HTTP at the realm's token endpoint, RS256 JWT access tokens with Keycloak's claims, and
 * key rotation at the provider. Gateways map to realms as in an Airavata installation:
 * test-gateway → realm-a, gateway-b → realm-b.
 */

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const partOf = (jwt: string, i: 0 | 1) => JSON.parse(Buffer.from(jwt.split('.')[i], 'base64url').toString()) as Record<string, unknown>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const authz = (accessToken: string, userName: string, gatewayID = 'test-gateway') => new AuthzToken({ accessToken, claimsMap: { gatewayID, userName } });
const refused = (pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof AuthorizationException, `expected an AuthorizationException, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
  assert.match(e.message ?? '', pattern);
  return true;
};

describe('API with tokens of the certified oidc-provider set up as Keycloak realms (integration)', function () {
  this.timeout(60000);
  let op: KeycloakOp;
  let t: TestApi;
  let conn: MetaSchedulerConnection;

  before(async () => {
    await requireStack('postgres');
    op = new KeycloakOp();
    await op.start();
    await op.addRealm('realm-a', {
      alice: { password: 'alice-pw' },
      bob: { password: 'bob-pw' },
      dave: { password: 'dave-pw', clientRoles: { pga: ['admin'] } },
      shorty: { password: 'shorty-pw', ttlSeconds: 1 },
    });
    await op.addRealm('realm-b', { alice: { password: 'alice-b-pw' }, erin: { password: 'erin-pw' } });
    t = await startTestApi('api_oidc_provider', {
      MSCHED_API_AUTH_MODE: 'oidc', MSCHED_API_OIDC_URL: op.baseUrl, MSCHED_API_OIDC_DEFAULT_REALM: '',
      MSCHED_API_OIDC_GATEWAY_REALMS: 'test-gateway=realm-a,gateway-b=realm-b', MSCHED_API_OIDC_AUTHORIZED_PARTIES: 'pga',
      MSCHED_API_OIDC_ROLES_CLIENT: 'pga', MSCHED_API_OIDC_AUDIENCE: 'account',
      MSCHED_API_OIDC_JWKS_COOLDOWN_SECONDS: '1', MSCHED_API_OIDC_CLOCK_SKEW_SECONDS: '0',
    });
    conn = await t.connect();
  });
  after(async () => {
    await t?.close();
    await op?.stop();
  });

  it('lets a user who logged in at her gateway\'s realm launch, with Keycloak\'s token shape', async () => {
    const alice = await op.login('realm-a', 'alice');
    assert.equal(partOf(alice, 0).alg, 'RS256');
    const claims = partOf(alice, 1);
    assert.deepEqual([claims.iss, claims.preferred_username, claims.azp, claims.typ, claims.aud], [op.issuer('realm-a'), 'alice', 'pga', 'Bearer', 'account']);
    assert.ok(Array.isArray((claims.realm_access as { roles: unknown }).roles));
    const r = await conn.client.launchExperiment(authz(alice, 'alice'), exampleExperiment());
    assert.equal(r.created, true);
    assert.deepEqual(await rowCounts(t.ds, r.experimentId), ONE_LAUNCH);

    const erin = await op.login('realm-b', 'erin');
    assert.equal((await conn.client.launchExperiment(authz(erin, 'erin', 'gateway-b'), exampleExperiment({ gatewayId: 'gateway-b', userName: 'erin' }))).created, true);
  });

  it('refuses an expired token, another realm\'s, another user\'s, forged ones, alg none, and gateway A\'s for gateway B, writing nothing', async () => {
    const short = await op.login('realm-a', 'shorty');
    const alice = await op.login('realm-a', 'alice');
    const aliceOfB = await op.login('realm-b', 'alice');
    const bob = await op.login('realm-a', 'bob');
    const [h, p, s] = alice.split('.');
    const claims = partOf(alice, 1);
    // A key of the attacker's own, signing under the realm's kid and issuer.
    const { privateKey } = await generateKeyPair('RS256');
    const ownKey = await new SignJWT({ ...claims, realm_access: { roles: ['admin'] } }).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: partOf(alice, 0).kid as string }).sign(privateKey);
    // The realm's own public key as an HMAC secret: the classic algorithm confusion.
    const jwks = (await (await fetch(`${op.issuer('realm-a')}/jwks`)).json()) as { keys: JWK[] };
    const pem = await exportSPKI((await importJWK(jwks.keys[0], 'RS256')) as never);
    const hsWithPublicKey = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: jwks.keys[0].kid }).sign(Buffer.from(pem));
    await sleep(2100); // shorty's 1 s token is past its expiry (no clock skew allowed here)

    const cases: Array<[string, AuthzToken, Partial<ExperimentModel>, RegExp]> = [
      ['expired', authz(short, 'shorty'), { userName: 'shorty' }, /the access token expired at .*: get a new one from Keycloak/],
      ['another realm', authz(aliceOfB, 'alice'), {}, /issued by "http:\/\/127\.0\.0\.1:\d+\/realms\/realm-b", but this gateway's realm "realm-a"/],
      ['preferred_username differs', authz(bob, 'alice'), {}, /preferred_username "bob" is not claimsMap\.userName "alice"/],
      ['altered payload', authz(`${h}.${b64({ ...claims, realm_access: { roles: ['admin'] } })}.${s}`, 'alice'), {}, /signature does not verify/],
      ['signed by another key', authz(ownKey, 'alice'), {}, /signature does not verify/],
      ['alg none', authz(`${b64({ alg: 'none', typ: 'JWT' })}.${p}.`, 'alice'), {}, /algorithm "none" is not accepted \(only RS256, ES256\)/],
      ['HS256 with the realm\'s public key', authz(hsWithPublicKey, 'alice'), {}, /algorithm "HS256" is not accepted/],
      ['gateway A\'s token claimed for gateway B', authz(alice, 'alice', 'gateway-b'), { gatewayId: 'gateway-b' }, /realms\/realm-a", but this gateway's realm "realm-b"/],
      ['gateway A\'s token for an experiment of gateway B', authz(alice, 'alice'), { gatewayId: 'gateway-b' }, /token is for gateway "test-gateway", not "gateway-b"/],
    ];
    for (const [what, token, fields, why] of cases) {
      const exp = exampleExperiment({ userName: 'alice', ...fields });
      await assert.rejects(conn.client.launchExperiment(token, exp), refused(why), what);
      assert.deepEqual(await rowCounts(t.ds, exp.experimentId as string), NOTHING, what);
    }
  });

  it('does not let a non-admin terminate another user\'s experiment (nothing written); the realm\'s admin may', async () => {
    const [alice, bob, dave] = await Promise.all(['alice', 'bob', 'dave'].map(async (u) => authz(await op.login('realm-a', u), u)));
    const r = await conn.client.launchExperiment(alice, exampleExperiment());
    await assert.rejects(conn.client.terminateExperiment(bob, r.experimentId, 'test-gateway'), refused(/belongs to user "alice", not user "bob"; only the gateway's admins terminate others' experiments/));
    assert.deepEqual(await rowCounts(t.ds, r.experimentId), ONE_LAUNCH);
    assert.equal(enumName(ExperimentState, (await conn.client.getExperimentStatus(alice, r.experimentId)).state), 'LAUNCHED');
    await conn.client.terminateExperiment(dave, r.experimentId, 'test-gateway'); // resource_access.pga.roles: admin
    assert.equal(enumName(ExperimentState, (await conn.client.getExperimentStatus(alice, r.experimentId)).state), 'CANCELING');
  });

  it('picks up a key rotation at the provider without a restart', async () => {
    const before = op.jwksHits('realm-a');
    assert.ok(before >= 1, 'the realm\'s keys were fetched for the earlier calls');
    await sleep(1100); // past the 1 s refetch cooldown
    const kid = await op.rotate('realm-a', { dropOld: true });
    const token = await op.login('realm-a', 'alice');
    assert.equal(partOf(token, 0).kid, kid, 'signed with a key the API has not seen');
    assert.equal((await conn.client.launchExperiment(authz(token, 'alice'), exampleExperiment())).created, true);
    assert.equal(op.jwksHits('realm-a'), before + 1, 'the unknown kid refetched the key set once');
    // And a key the realm never published is refused, writing nothing.
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const stray = await new SignJWT(partOf(token, 1)).setProtectedHeader({ alg: 'RS256', kid: (await exportJWK(publicKey)).n!.slice(0, 8) }).sign(privateKey);
    const exp = exampleExperiment();
    await assert.rejects(conn.client.launchExperiment(authz(stray, 'alice'), exp), refused(/publishes no key/));
    assert.deepEqual(await rowCounts(t.ds, exp.experimentId as string), NOTHING);
  });
});
