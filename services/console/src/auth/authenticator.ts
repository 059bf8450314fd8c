import { createHash, timingSafeEqual } from 'node:crypto';

/** Who is looking at the console, and whether they may change anything. */
export interface ConsolePrincipal {
  /** A name for logs and history ("operator", "viewer", or a user from an identity provider). */
  name: string;
  /** May cancel jobs and replay dead letters; a viewer may only read. */
  canOperate: boolean;
}

/**
 * Turns a bearer token into a principal, or undefined when it is not valid. This is the seam for
 * other identity providers (Keycloak OIDC, signed HS256 tokens): anything that implements it can be
 * handed to the console's app (ConsoleDeps.authenticate) without touching the routes.
 */
export type Authenticator = (token: string) => ConsolePrincipal | undefined;

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

/** MSCHED_API_AUTH_MODE=none (development): no token needed, everyone operates. */
export const OPEN_PRINCIPAL: ConsolePrincipal = { name: 'developer', canOperate: true };

export interface AuthSettings {
  mode: 'none' | 'static' | 'hmac' | 'oidc';
  secret: string;
  viewerToken: string;
  environment: string;
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
    case 'hmac':
    case 'oidc':
      // Per-user tokens (our HS256, Keycloak's) need the gateway rights the API decides; until the
      // API's verifier is a package of its own they plug in at ConsoleOptions.authenticate.
      throw new ConsoleConfigError(`the console supports MSCHED_API_AUTH_MODE=static and none so far, not ${s.mode}: run it with MSCHED_API_AUTH_MODE=static and its own MSCHED_API_AUTH_SECRET, behind your single sign-on proxy`);
  }
}
