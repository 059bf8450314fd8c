import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWK } from 'jose';

/**
 * The certified OpenID provider from npm (`oidc-provider`) set up as Keycloak realms: one provider
 * per realm mounted at http://127.0.0.1:PORT/realms/<realm>, a public client "pga" (the gateway
 * portal) whose users log in with the password grant (Keycloak's "direct access grants"), and JWT
 * access tokens (RS256) carrying Keycloak's claims: preferred_username, typ "Bearer", azp,
 * realm_access.roles and resource_access.<client>.roles. `rotate` gives a realm a new key set, as
 * Keycloak's key rotation does (a new active key; the old one published or dropped), without
 * restarting the HTTP server the API talks to.
 */

/** What the tests use of oidc-provider (an ES module, loaded with a real dynamic import). */
interface Provider {
  callback(): (req: http.IncomingMessage, res: http.ServerResponse) => void;
  registerGrantType(name: string, handler: (ctx: GrantContext) => Promise<void>, params: string[]): void;
  AccessToken: new (o: Record<string, unknown>) => { resourceServer?: unknown; expiration: number; save(): Promise<string> };
  ResourceServer: new (id: string, info: Record<string, unknown>) => unknown;
}
interface GrantContext {
  oidc: { params: Record<string, string | undefined>; client: unknown };
  body: unknown;
  status: number;
}
type ProviderClass = new (issuer: string, config: Record<string, unknown>) => Provider;
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<{ default: ProviderClass }>;

export interface RealmUser {
  password: string;
  realmRoles?: string[];
  /** client id → roles (resource_access). */
  clientRoles?: Record<string, string[]>;
  /** Access token lifetime in seconds (default 300, as Keycloak's). */
  ttlSeconds?: number;
}

interface RealmState {
  keys: JWK[];
  users: Map<string, RealmUser>;
  provider: Provider;
}

const API_RESOURCE = 'urn:msched:api';
/** Keycloak puts "account" in aud unless an audience mapper says otherwise. */
const RESOURCE_SERVER = { scope: 'openid profile', audience: 'account', accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };

async function signingKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

/**
 * The users the console tests log in as, one of each kind of right: two plain users of the gateway,
 * a read-only admin and an admin (client roles of "pga", as Airavata's portal client names them).
 */
export const GATEWAY_USERS: Readonly<Record<string, RealmUser>> = {
  alice: { password: 'alice-pw' },
  bob: { password: 'bob-pw' },
  carol: { password: 'carol-pw', clientRoles: { pga: ['admin-read-only'] } },
  dave: { password: 'dave-pw', clientRoles: { pga: ['admin'] } },
};

export class KeycloakOp {
  private Provider?: ProviderClass;
  private server?: http.Server;
  private readonly realms = new Map<string, RealmState>();
  private keyCount = 0;
  /** Requests per path, to see when the API fetches keys. */
  readonly hits = new Map<string, number>();

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  issuer(realm: string): string {
    return `${this.baseUrl}/realms/${realm}`;
  }

  /** Fetches of the realm's key set (oidc-provider's jwks_uri is <issuer>/jwks). */
  jwksHits(realm: string): number {
    return this.hits.get(`/realms/${realm}/jwks`) ?? 0;
  }

  async start(): Promise<void> {
    this.Provider = (await importEsm('oidc-provider')).default;
    this.server = http.createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      const m = /^\/realms\/([^/]+)/.exec(path);
      const realm = m ? this.realms.get(m[1]) : undefined;
      if (!m || !realm) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":"Realm does not exist"}');
        return;
      }
      // Mounted under the realm's path, as express would mount it.
      Object.assign(req, { originalUrl: req.url, baseUrl: m[0], url: req.url!.slice(m[0].length) || '/' });
      realm.provider.callback()(req, res);
    });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((ok) => (this.server ? this.server.close(ok) : ok(undefined)));
  }

  async addRealm(name: string, users: Record<string, RealmUser>): Promise<void> {
    const keys = [await this.newKey(name)];
    const userMap = new Map(Object.entries(users));
    this.realms.set(name, { keys, users: userMap, provider: this.provider(name, keys, userMap) });
  }

  /** A new signing key for the realm (the provider signs with the first key); `dropOld` unpublishes the others. Returns its kid. */
  async rotate(realm: string, o: { dropOld?: boolean } = {}): Promise<string> {
    const r = this.realms.get(realm)!;
    const key = await this.newKey(realm);
    r.keys = [key, ...(o.dropOld ? [] : r.keys)];
    r.provider = this.provider(realm, r.keys, r.users);
    return key.kid!;
  }

  /** Logs a user in at the realm's token endpoint over HTTP, as the gateway portal does; returns the access token. */
  async login(realm: string, userName: string, password?: string): Promise<string> {
    const pw = password ?? this.realms.get(realm)?.users.get(userName)?.password ?? '';
    const r = await fetch(`${this.issuer(realm)}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: 'pga', username: userName, password: pw, scope: 'openid profile' }).toString(),
    });
    const body = (await r.json()) as { access_token?: string; error?: string };
    if (r.status !== 200 || !body.access_token) throw new Error(`login of ${userName} at ${realm} failed: HTTP ${r.status} ${body.error}`);
    return body.access_token;
  }

  private async newKey(realm: string): Promise<JWK> {
    this.keyCount += 1;
    return signingKey(`${realm}-key-${this.keyCount}`);
  }

  private provider(realm: string, keys: JWK[], users: Map<string, RealmUser>): Provider {
    const provider = new this.Provider!(this.issuer(realm), {
      clients: [{ client_id: 'pga', token_endpoint_auth_method: 'none', grant_types: ['password'], redirect_uris: [], response_types: [] }],
      jwks: { keys },
      ttl: { AccessToken: (_ctx: unknown, token: { accountId?: string }) => users.get(token.accountId ?? '')?.ttlSeconds ?? 300 },
      features: {
        devInteractions: { enabled: false },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => API_RESOURCE,
          getResourceServerInfo: () => RESOURCE_SERVER,
          useGrantedResource: () => true,
        },
      },
      // Keycloak's access token claims (sub, iss, aud, exp, iat, jti, scope come from the provider).
      extraTokenClaims: (_ctx: unknown, token: { accountId?: string; clientId: string }) => {
        const u = users.get(token.accountId ?? '');
        const resourceAccess: Record<string, { roles: string[] }> = {};
        for (const [client, roles] of Object.entries(u?.clientRoles ?? {})) resourceAccess[client] = { roles };
        return {
          typ: 'Bearer', azp: token.clientId, preferred_username: token.accountId, email: `${token.accountId}@example.org`,
          realm_access: { roles: u?.realmRoles ?? ['offline_access', 'uma_authorization', `default-roles-${realm}`] },
          resource_access: resourceAccess,
        };
      },
    });
    // Keycloak's "direct access grants" (resource owner password), which oidc-provider leaves to extensions.
    provider.registerGrantType('password', async (ctx) => {
      const { username, password } = ctx.oidc.params;
      const user = users.get(username ?? '');
      if (!user || user.password !== password) {
        ctx.status = 401;
        ctx.body = { error: 'invalid_grant', error_description: 'Invalid user credentials' };
        return;
      }
      const token = new provider.AccessToken({ accountId: username, client: ctx.oidc.client, gty: 'password', scope: 'openid profile' });
      token.resourceServer = new provider.ResourceServer(API_RESOURCE, RESOURCE_SERVER);
      const value = await token.save();
      ctx.body = { access_token: value, expires_in: token.expiration, token_type: 'Bearer', scope: 'openid profile' };
    }, ['username', 'password', 'scope']);
    return provider;
  }
}
