import type https from 'node:https';
import { IdentityError } from './errors';
import type { RealmEndpoints } from './discovery';
import { getJson } from './http-json';

/**
 * Asks the realm's userinfo endpoint about the token, as Airavata's KeyCloakSecurityManager does:
 * Keycloak answers the user's claims for a live token of that realm and 401 otherwise (expired,
 * revoked, or issued by another realm). Roles are only there if the realm maps them to userinfo.
 */
export async function userinfoClaims(token: string, realm: RealmEndpoints, o: { timeoutMs: number; agent?: https.Agent }): Promise<Record<string, unknown>> {
  if (!realm.userinfoEndpoint) {
    throw IdentityError.unavailable(`realm "${realm.realm}" announces no userinfo_endpoint: use MSCHED_API_OIDC_VERIFY=jwks`, false);
  }
  let r;
  try {
    r = await getJson(realm.userinfoEndpoint, { timeoutMs: o.timeoutMs, agent: o.agent, bearer: token });
  } catch (e) {
    throw IdentityError.unavailable(`cannot ask realm "${realm.realm}"'s userinfo endpoint: ${(e as Error).message}`, true, e);
  }
  if (r.status === 401 || r.status === 403) {
    throw IdentityError.unauthenticated('invalid', `realm "${realm.realm}" does not accept the token (userinfo HTTP ${r.status}): expired, revoked or issued by another realm`);
  }
  if (r.status !== 200 || typeof r.body !== 'object' || r.body === null) {
    throw IdentityError.unavailable(`realm "${realm.realm}"'s userinfo endpoint answered HTTP ${r.status}`, r.status >= 500);
  }
  return r.body as Record<string, unknown>;
}
