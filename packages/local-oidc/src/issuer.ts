import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, exportJWK, generateKeyPair, JWK, JWTPayload, jwtVerify, KeyLike, SignJWT } from 'jose';

/**
 * A real OpenID Connect issuer on 127.0.0.1 (or any host), shaped as Keycloak: issuers
 * http://127.0.0.1:PORT/realms/<realm>, discovery documents, JWKS (certs), userinfo and a token
 * endpoint (password grant), and access tokens with Keycloak's claims (preferred_username,
 * realm_access.roles, resource_access.<client>.roles, azp, typ "Bearer"), signed RS256 or ES256 by
 * keys generated at start. Keys rotate on demand. The tests run it over HTTP like a Keycloak.
 */
export type SigningAlg = 'RS256' | 'ES256';

interface SigningKey {
  kid: string;
  alg: SigningAlg;
  privateKey: KeyLike;
  publicJwk: JWK;
}

interface Realm {
  keys: SigningKey[];
  users: Map<string, { password: string; claims: TokenClaims }>;
}

export interface TokenClaims {
  realmRoles?: string[];
  /** client id → roles (resource_access). */
  clientRoles?: Record<string, string[]>;
  groups?: string[];
  azp?: string;
  aud?: string | string[];
  /** Extra claims (they override the defaults). */
  extra?: JWTPayload;
}

export interface TokenOptions extends TokenClaims {
  /** Seconds until expiry (negative: already expired). */
  expiresIn?: number;
  /** Sign with this key (default the realm's newest). */
  kid?: string;
  /** Write this kid into the header (a key the realm does not publish). */
  headerKid?: string;
}

async function newKey(alg: SigningAlg): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export class OidcIssuer {
  private readonly realms = new Map<string, Realm>();
  private server?: http.Server;
  private port = 0;
  /** Requests per path, to check how often keys are fetched. */
  readonly hits = new Map<string, number>();

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  issuer(realm: string): string {
    return `${this.baseUrl}/realms/${realm}`;
  }

  jwksHits(realm: string): number {
    return this.hits.get(`/realms/${realm}/protocol/openid-connect/certs`) ?? 0;
  }

  /** Listens on 127.0.0.1 (port 0: a free one). */
  async start(port = 0): Promise<void> {
    this.server = http.createServer((req, res) => { this.serve(req, res).catch((e) => this.send(res, 500, { error: String(e) })); });
    await new Promise<void>((ok, fail) => {
      this.server!.once('error', fail);
      this.server!.listen(port, '127.0.0.1', ok);
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }

  async addRealm(name: string, alg: SigningAlg = 'RS256'): Promise<void> {
    this.realms.set(name, { keys: [await newKey(alg)], users: new Map() });
  }

  addUser(realm: string, userName: string, password: string, claims: TokenClaims = {}): void {
    this.realm(realm).users.set(userName, { password, claims });
  }

  /** Publishes a new signing key and signs with it from now on; `dropOld` unpublishes the others. */
  async rotate(realm: string, o: { alg?: SigningAlg; dropOld?: boolean } = {}): Promise<string> {
    const r = this.realm(realm);
    const k = await newKey(o.alg ?? r.keys[r.keys.length - 1].alg);
    if (o.dropOld) r.keys.length = 0;
    r.keys.push(k);
    return k.kid;
  }

  /** A Keycloak-shaped access token for a user of the realm, signed by the realm's key. */
  async token(realm: string, userName: string, o: TokenOptions = {}): Promise<string> {
    const r = this.realm(realm);
    const key = o.kid ? r.keys.find((k) => k.kid === o.kid) : r.keys[r.keys.length - 1];
    if (!key) throw new Error(`realm ${realm} has no key ${o.kid}`);
    const now = Math.floor(Date.now() / 1000);
    const resourceAccess: Record<string, { roles: string[] }> = {};
    for (const [client, roles] of Object.entries(o.clientRoles ?? {})) resourceAccess[client] = { roles };
    const payload: JWTPayload = {
      exp: now + (o.expiresIn ?? 300), iat: now - 1, jti: randomUUID(), iss: this.issuer(realm), aud: o.aud ?? 'account',
      sub: randomUUID(), typ: 'Bearer', azp: o.azp ?? 'pga', session_state: randomUUID(), scope: 'openid profile email',
      realm_access: { roles: o.realmRoles ?? ['offline_access', 'uma_authorization', `default-roles-${realm}`] },
      resource_access: resourceAccess, preferred_username: userName, email: `${userName}@example.org`,
      ...(o.groups ? { groups: o.groups } : {}),
      ...(o.extra ?? {}),
    };
    return new SignJWT(payload).setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: o.headerKid ?? key.kid }).sign(key.privateKey);
  }

  private realm(name: string): Realm {
    const r = this.realms.get(name);
    if (!r) throw new Error(`no realm ${name}`);
    return r;
  }

  private send(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.baseUrl).pathname;
    this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
    const m = /^\/realms\/([^/]+)\/(.*)$/.exec(path);
    const realm = m ? this.realms.get(decodeURIComponent(m[1])) : undefined;
    if (!m || !realm) return this.send(res, 404, { error: 'Realm does not exist' });
    const name = decodeURIComponent(m[1]);
    const oidc = `${this.issuer(name)}/protocol/openid-connect`;
    switch (m[2]) {
      case '.well-known/openid-configuration':
        return this.send(res, 200, {
          issuer: this.issuer(name), authorization_endpoint: `${oidc}/auth`, token_endpoint: `${oidc}/token`,
          userinfo_endpoint: `${oidc}/userinfo`, jwks_uri: `${oidc}/certs`, grant_types_supported: ['password', 'client_credentials'],
          id_token_signing_alg_values_supported: ['RS256', 'ES256'], response_types_supported: ['code'], subject_types_supported: ['public'],
        });
      case 'protocol/openid-connect/certs':
        return this.send(res, 200, { keys: realm.keys.map((k) => k.publicJwk) });
      case 'protocol/openid-connect/userinfo': {
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!bearer) return this.send(res, 401, { error: 'invalid_request' });
        try {
          const { payload } = await jwtVerify(bearer, createLocalJWKSet({ keys: realm.keys.map((k) => k.publicJwk) }), { issuer: this.issuer(name), algorithms: ['RS256', 'ES256'] });
          const { sub, preferred_username, email, realm_access, resource_access, groups } = payload as Record<string, unknown>;
          return this.send(res, 200, { sub, preferred_username, email, realm_access, resource_access, groups });
        } catch {
          return this.send(res, 401, { error: 'invalid_token' });
        }
      }
      case 'protocol/openid-connect/token': {
        const form = new URLSearchParams(await new Promise<string>((ok) => { let b = ''; req.on('data', (c) => { b += c; }); req.on('end', () => ok(b)); }));
        const user = realm.users.get(form.get('username') ?? '');
        if (req.method !== 'POST' || form.get('grant_type') !== 'password' || !user || user.password !== form.get('password')) {
          return this.send(res, 401, { error: 'invalid_grant', error_description: 'Invalid user credentials' });
        }
        const accessToken = await this.token(name, form.get('username')!, { ...user.claims, azp: form.get('client_id') ?? user.claims.azp });
        return this.send(res, 200, { access_token: accessToken, expires_in: 300, token_type: 'Bearer', scope: 'openid profile email' });
      }
      default:
        return this.send(res, 404, { error: 'not found' });
    }
  }
}

/** Logs in at the issuer's token endpoint (password grant) as a gateway portal would, over HTTP. */
export async function passwordLogin(tokenEndpoint: string, clientId: string, userName: string, password: string): Promise<string> {
  const r = await fetch(tokenEndpoint, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: clientId, username: userName, password }).toString(),
  });
  const body = (await r.json()) as { access_token?: string; error?: string };
  if (r.status !== 200 || !body.access_token) throw new Error(`login of ${userName} failed: HTTP ${r.status} ${body.error}`);
  return body.access_token;
}
