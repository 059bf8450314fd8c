import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWK } from 'jose';
import { AuthorizationException, AuthzToken, exampleExperiment } from '@msched/airavata-thrift';
import { requireStack } from '../../helpers/stack';
import { NOTHING, rowCounts, startTestApi, TestApi } from './harness';

/**
 * The API against the certified OpenID provider from npm (`oidc-provider`), set up as a Keycloak
 * realm: issuer http://127.0.0.1:PORT/realms/op, JWT access tokens (RS256) with Keycloak's claims
 * for a service account (client credentials grant, preferred_username "service-account-<client>"),
 * got over HTTP from its token endpoint. Key rotation restarts the provider with a new key set.
 */

/** What the tests use of oidc-provider (an ES module, loaded with a real dynamic import). */
interface OidcProvider {
  callback(): (req: http.IncomingMessage, res: http.ServerResponse) => void;
}
type ProviderClass = new (issuer: string, config: Record<string, unknown>) => OidcProvider;
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<{ default: ProviderClass }>;

const REALM_PATH = '/realms/op';

async function signingKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

describe('API with tokens of the certified oidc-provider set up as a Keycloak realm (integration)', function () {
  this.timeout(60000);
  let Provider: ProviderClass;
  let server: http.Server;
  let issuer: string;
  let provider: OidcProvider;
  let t: TestApi;

  const startProvider = (keys: JWK[]) => {
    provider = new Provider(issuer, {
      clients: [
        { client_id: 'portal', client_secret: 'portal-secret', grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
        { client_id: 'short', client_secret: 'short-secret', grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
      ],
      jwks: { keys },
      ttl: { ClientCredentials: (_ctx: unknown, _token: unknown, client: { clientId: string }) => (client.clientId === 'short' ? 1 : 600) },
      features: {
        clientCredentials: { enabled: true },
        devInteractions: { enabled: false },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => 'urn:msched:api',
          getResourceServerInfo: () => ({ scope: 'openid', audience: 'account', accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
          useGrantedResource: () => true,
        },
      },
      // Keycloak's shape for a service account with the realm role "admin".
      extraTokenClaims: (_ctx: unknown, token: { clientId: string }) => ({
        preferred_username: `service-account-${token.clientId}`, azp: token.clientId, typ: 'Bearer', realm_access: { roles: ['admin'] },
      }),
    });
  };

  const token = async (client: string): Promise<AuthzToken> => {
    const r = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client}:${client}-secret`).toString('base64')}` },
      body: 'grant_type=client_credentials&scope=openid',
    });
    const body = (await r.json()) as { access_token?: string };
    assert.equal(r.status, 200);
    return new AuthzToken({ accessToken: body.access_token!, claimsMap: { gatewayID: 'op-gateway', userName: `service-account-${client}` } });
  };

  before(async () => {
    await requireStack('postgres');
    Provider = (await importEsm('oidc-provider')).default;
    server = http.createServer((req, res) => {
      if (!req.url?.startsWith(REALM_PATH)) { res.writeHead(404); res.end(); return; }
      // Mounted under the realm path, as express would mount it.
      Object.assign(req, { originalUrl: req.url, baseUrl: REALM_PATH, url: req.url.slice(REALM_PATH.length) || '/' });
      provider.callback()(req, res);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    issuer = `${base}${REALM_PATH}`;
    startProvider([await signingKey('k1')]);
    t = await startTestApi('api_oidc_provider', {
      MSCHED_API_AUTH_MODE: 'oidc', MSCHED_API_OIDC_URL: base, MSCHED_API_OIDC_DEFAULT_REALM: '', MSCHED_API_OIDC_GATEWAY_REALMS: 'op-gateway=op',
      MSCHED_API_OIDC_JWKS_COOLDOWN_SECONDS: '1', MSCHED_API_OIDC_CLOCK_SKEW_SECONDS: '0', MSCHED_API_OIDC_AUDIENCE: 'account',
    });
  });
  after(async () => {
    await t?.close();
    server?.closeAllConnections();
    await new Promise((ok) => server?.close(ok));
  });

  it('accepts a service account\'s token from the token endpoint and picks up a key rotation without a restart', async () => {
    const conn = await t.connect();
    const launch = async (tok: AuthzToken) => conn.client.launchExperiment(tok, exampleExperiment({ gatewayId: 'op-gateway', userName: 'service-account-portal' }));
    assert.equal((await launch(await token('portal'))).created, true);
    await new Promise((r) => setTimeout(r, 1100)); // past the key refetch cooldown
    startProvider([await signingKey('k2'), await signingKey('k1-old')]); // the provider restarts with new keys only
    const rotated = await token('portal');
    assert.notEqual(JSON.parse(Buffer.from(rotated.accessToken.split('.')[0], 'base64url').toString()).kid, 'k1', 'signed with a key the API has not seen');
    assert.equal((await launch(rotated)).created, true);
  });

  it('refuses its expired tokens and tokens for another user, writing nothing', async () => {
    const conn = await t.connect();
    const short = await token('short');
    await new Promise((r) => setTimeout(r, 2100));
    const exp = exampleExperiment({ gatewayId: 'op-gateway', userName: 'service-account-short' });
    await assert.rejects(conn.client.launchExperiment(short, exp), (e: unknown) => e instanceof AuthorizationException && /access token expired/.test(e.message ?? ''));
    const portal = await token('portal');
    const claimedOther = new AuthzToken({ accessToken: portal.accessToken, claimsMap: { gatewayID: 'op-gateway', userName: 'service-account-short' } });
    await assert.rejects(conn.client.launchExperiment(claimedOther, exp), (e: unknown) => e instanceof AuthorizationException && /preferred_username "service-account-portal" is not claimsMap\.userName "service-account-short"/.test(e.message ?? ''));
    assert.deepEqual(await rowCounts(t.ds, exp.experimentId as string), NOTHING);
  });
});
