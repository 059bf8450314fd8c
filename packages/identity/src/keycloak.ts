import { readFileSync } from 'node:fs';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { decodeJwt } from 'jose';
import type { Principal } from './access';
import { ClaimedIdentity, ClaimRules, principalFromClaims, rightsOf, rolesOf, userOfClaims } from './claims';
import { RealmDirectory, RealmEndpoints } from './discovery';
import { IdentityConfigError, IdentityError } from './errors';
import { IdentityCache } from './identity-cache';
import { gatewaysOfRealm, isConfiguredRealm, RealmSettings, realmOf, realmOfIssuer } from './realms';
import { userinfoClaims } from './userinfo';
import { verifyAccessJwt } from './verify-jwt';

/** The MSCHED_API_OIDC_* settings (the API's and the console's: one Keycloak, one set of rules). */
export interface OidcSettings extends RealmSettings, ClaimRules {
  verify: 'jwks' | 'userinfo';
  audience: readonly string[];
  clockSkewSeconds: number;
  jwksCooldownSeconds: number;
  jwksMaxAgeSeconds: number;
  httpTimeoutMs: number;
  caFile: string;
  cacheSeconds: number;
  cacheEntries: number;
}

/** A verified identity and when its token stops being valid. */
export interface VerifiedIdentity {
  principal: Principal;
  realm: string;
  /** The token's exp, in ms since the epoch (undefined when the token says none, e.g. userinfo). */
  expiresAtMs?: number;
}

function agentFor(caFile: string): https.Agent | undefined {
  if (!caFile) return undefined;
  let ca: Buffer;
  try {
    ca = readFileSync(caFile);
  } catch (e) {
    throw new IdentityConfigError(`cannot read MSCHED_API_OIDC_CA_FILE: ${(e as Error).message}`);
  }
  // Keep the system CAs and add the operator's.
  return new https.Agent({ ca: [...rootCertificates, ca.toString('utf8')], keepAlive: true });
}

function unverifiedIssuer(token: string): unknown {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

/**
 * Keycloak as the source of identities: each realm's keys from its discovery document (cached,
 * refetched on an unknown kid at most once per cooldown), tokens verified locally (or by the
 * realm's userinfo endpoint), claims turned into a principal with rights. Accepted identities are
 * cached per token hash; the token itself is never kept nor put in an error.
 */
export class KeycloakIdentities {
  private readonly realms: RealmDirectory;
  private readonly agent?: https.Agent;
  private readonly calls: IdentityCache<VerifiedIdentity>;
  private readonly users: IdentityCache<VerifiedIdentity>;

  constructor(readonly settings: OidcSettings, now: () => number = Date.now) {
    const s = settings;
    if (!s.url) throw new IdentityConfigError('MSCHED_API_AUTH_MODE=oidc needs MSCHED_API_OIDC_URL, the Keycloak base URL Airavata uses (e.g. https://iam.example.org/auth)');
    this.agent = agentFor(s.caFile);
    this.realms = new RealmDirectory({ url: s.url, httpTimeoutMs: s.httpTimeoutMs, jwksCooldownSeconds: s.jwksCooldownSeconds, jwksMaxAgeSeconds: s.jwksMaxAgeSeconds, agent: this.agent }, now);
    this.calls = new IdentityCache(s.cacheSeconds * 1000, s.cacheEntries, now);
    this.users = new IdentityCache(s.cacheSeconds * 1000, s.cacheEntries, now);
  }

  /** The claims of a token of this realm, verified as configured (jwks or userinfo). */
  async claimsOf(token: string, realm: RealmEndpoints): Promise<Record<string, unknown>> {
    const s = this.settings;
    return s.verify === 'userinfo'
      ? userinfoClaims(token, realm, { timeoutMs: s.httpTimeoutMs, agent: this.agent })
      : verifyAccessJwt(token, realm, { audience: s.audience, clockSkewSeconds: s.clockSkewSeconds });
  }

  /**
   * A call that says whom it acts for (Airavata's AuthzToken: claimsMap.gatewayID and userName):
   * the token must be of that gateway's realm and of that user.
   */
  async forCall(token: string, claimed: ClaimedIdentity): Promise<VerifiedIdentity> {
    const key = IdentityCache.key(token, claimed.gatewayId, claimed.userName);
    const hit = this.calls.get(key);
    if (hit) return hit;
    const realm = await this.realms.endpoints(realmOf(this.settings, claimed.gatewayId));
    const claims = await this.claimsOf(token, realm);
    const v: VerifiedIdentity = { principal: principalFromClaims(claims, claimed, this.settings), realm: realm.realm, expiresAtMs: expiryOf(claims) };
    this.calls.set(key, v, v.expiresAtMs);
    return v;
  }

  /**
   * A user who has only the token (a login page, a reverse proxy's Authorization header): the
   * user is the token's preferred_username; the gateway is the one asked for, else the token's
   * gateway claim (MSCHED_API_OIDC_GATEWAY_CLAIM), else the one gateway mapped to the token's realm.
   */
  async forUser(token: string, o: { gateway?: string } = {}): Promise<VerifiedIdentity> {
    const s = this.settings;
    if (token === '') throw IdentityError.unauthenticated('missing', 'no access token: log in with your Keycloak access token');
    const key = IdentityCache.key(token, o.gateway ?? '', '');
    const hit = this.users.get(key);
    if (hit) return hit;
    let realmName: string;
    if (o.gateway !== undefined) {
      realmName = realmOf(s, o.gateway);
    } else {
      const iss = unverifiedIssuer(token);
      const fromIssuer = realmOfIssuer(s.url, iss);
      if (iss === undefined && s.defaultRealm) {
        realmName = s.defaultRealm; // an opaque token (userinfo mode): the default realm's
      } else if (fromIssuer === undefined || !isConfiguredRealm(s, fromIssuer)) {
        throw IdentityError.unauthenticated('invalid', `the token was issued by ${JSON.stringify(iss ?? null)}, not by a realm of this installation's Keycloak (MSCHED_API_OIDC_URL ${s.url}, realms of MSCHED_API_OIDC_GATEWAY_REALMS and MSCHED_API_OIDC_DEFAULT_REALM)`);
      } else {
        realmName = fromIssuer;
      }
    }
    const realm = await this.realms.endpoints(realmName);
    const claims = await this.claimsOf(token, realm);
    const { userName, claimedGateway } = userOfClaims(claims, s);
    const gatewayId = this.gatewayFor(realm.realm, o.gateway, claimedGateway);
    const v: VerifiedIdentity = { principal: { gatewayId, userName, rights: rightsOf(rolesOf(claims, s.rolesClient), s) }, realm: realm.realm, expiresAtMs: expiryOf(claims) };
    this.users.set(key, v, v.expiresAtMs);
    return v;
  }

  private gatewayFor(realm: string, asked: string | undefined, claimed: string | undefined): string {
    const s = this.settings;
    if (asked !== undefined && claimed !== undefined && asked !== claimed) {
      throw IdentityError.forbidden(`the token is for gateway "${claimed}" (its "${s.gatewayClaim}" claim), not "${asked}"`);
    }
    const chosen = asked ?? claimed;
    if (chosen !== undefined) {
      if (realmOf(s, chosen) !== realm) throw IdentityError.forbidden(`gateway "${chosen}" takes tokens of realm "${realmOf(s, chosen)}", and this one is of realm "${realm}"`);
      return chosen;
    }
    const mapped = gatewaysOfRealm(s, realm);
    if (mapped.length === 1) return mapped[0];
    throw IdentityError.forbidden(mapped.length === 0
      ? `realm "${realm}" is the default realm of any gateway not in MSCHED_API_OIDC_GATEWAY_REALMS: name the gateway at login (or map it there)`
      : `realm "${realm}" serves gateways ${mapped.join(', ')}: name the gateway at login`);
  }
}

function expiryOf(claims: Record<string, unknown>): number | undefined {
  return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
}
