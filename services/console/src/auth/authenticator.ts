import { createHash, timingSafeEqual } from 'node:crypto';
import { IdentityConfigError, KeycloakIdentities, OidcSettings, Principal } from '@msched/identity';

/** Who is looking at the console, and whether they may change anything. */
export interface ConsolePrincipal {
  /** A name for logs and history ("operator", "viewer", or a Keycloak user). */
  name: string;
  /**
   * Static tokens: may cancel jobs and replay dead letters (a viewer may only read). A Keycloak
   * user: is a gateway admin (what they may do is decided per action, see consoleAccess).
   */
  canOperate: boolean;
  /** A Keycloak user (MSCHED_API_AUTH_MODE=oidc): gateway, user name and rights from the token's roles. */
  identity?: Principal;
  /** The user's own access token, for the calls made on their behalf (cancel); never sent to a browser. */
  accessToken?: string;
  /** When the user's token expires (ms since the epoch); the session ends no later. */
  expiresAtMs?: number;
}

/** Which gateway a login is for, when the token alone does not tell (a realm serving several). */
export interface LoginHints {
  gateway?: string;
}

/**
 * Turns a bearer token into a principal, or undefined when it is not valid. An identity provider
 * may answer asynchronously and refuse with its reason (an IdentityError of @msched/identity);
 * anything that implements it can be handed to the console's app (ConsoleDeps.authenticate).
 */
export type Authenticator = (token: string, hints?: LoginHints) => ConsolePrincipal | undefined | Promise<ConsolePrincipal | undefined>;

export class ConsoleConfigError extends Error {
  readonly retriable = false;
}

const digest = (s: string) => createHash('sha256').update(s).digest();
/** Constant-time whatever the lengths: digests are compared, not the tokens. */
const same = (a: string, b: Buffer) => timingSafeEqual(digest(a), b);

export interface StaticTokens {
  /** The API's static token (MSCHED_API_AUTH_SECRET): may read, cancel and replay. */
  operatorToken: string;
  /** MSCHED_CONSOLE_VIEWER_TOKEN: may read only. Empty: no viewer token. */
  viewerToken: string;
}

/**
 * The API's static mode for the console: the API's own token is the operator's, and an optional
 * second token only reads.
 */
export function staticAuthenticator(t: StaticTokens): Authenticator {
  if (t.operatorToken === '') throw new ConsoleConfigError('the console needs MSCHED_API_AUTH_SECRET in static mode');
  if (t.viewerToken !== '' && t.viewerToken === t.operatorToken) throw new ConsoleConfigError('MSCHED_CONSOLE_VIEWER_TOKEN must differ from MSCHED_API_AUTH_SECRET');
  const operator = digest(t.operatorToken);
  const viewer = t.viewerToken === '' ? undefined : digest(t.viewerToken);
  return (token) => {
    if (token === '') return undefined;
    if (same(token, operator)) return { name: 'operator', canOperate: true };
    if (viewer && same(token, viewer)) return { name: 'viewer', canOperate: false };
    return undefined;
  };
}

/**
 * MSCHED_API_AUTH_MODE=oidc: the same Keycloak access tokens as the API, verified by the same
 * package with the same MSCHED_API_OIDC_* settings. The principal is the token's user in their
 * gateway with the rights of their roles; refusals throw @msched/identity's IdentityError with the
 * reason (the app answers 401, 403 or 503).
 */
export function oidcAuthenticator(s: OidcSettings, now?: () => number): Authenticator {
  let identities: KeycloakIdentities;
  try {
    identities = new KeycloakIdentities(s, now);
  } catch (e) {
    if (e instanceof IdentityConfigError) throw new ConsoleConfigError(e.message);
    throw e;
  }
  return async (token, hints = {}) => {
    const v = await identities.forUser(token, { gateway: hints.gateway });
    const p = v.principal;
    return {
      name: p.userName ?? '?', canOperate: p.rights?.admin === true, identity: p, accessToken: token, expiresAtMs: v.expiresAtMs,
    };
  };
}

/** MSCHED_API_AUTH_MODE=none (development): no token needed, everyone operates. */
export const OPEN_PRINCIPAL: ConsolePrincipal = { name: 'developer', canOperate: true };

export interface AuthSettings {
  mode: 'none' | 'static' | 'hmac' | 'oidc';
  secret: string;
  viewerToken: string;
  environment: string;
  /** MSCHED_API_OIDC_*, for mode oidc. */
  oidc?: OidcSettings;
}

/**
 * The console's authentication from the API's settings (the console takes the same tokens).
 * Returns undefined for "no authentication" (development only).
 */
export function authenticatorFor(s: AuthSettings): Authenticator | undefined {
  switch (s.mode) {
    case 'none':
      if (s.environment === 'production') throw new ConsoleConfigError('MSCHED_API_AUTH_MODE=none is refused in production: the console would be open to anyone');
      return undefined;
    case 'static':
      return staticAuthenticator({ operatorToken: s.secret, viewerToken: s.viewerToken });
    case 'oidc':
      if (!s.oidc) throw new ConsoleConfigError('MSCHED_API_AUTH_MODE=oidc needs the MSCHED_API_OIDC_* settings');
      return oidcAuthenticator(s.oidc);
    case 'hmac':
      // Our HS256 tokens are a development mode of the API; operators use static or Keycloak tokens.
      throw new ConsoleConfigError('the console supports MSCHED_API_AUTH_MODE=oidc, static and none, not hmac: run it with MSCHED_API_AUTH_MODE=static and its own MSCHED_API_AUTH_SECRET');
  }
}
