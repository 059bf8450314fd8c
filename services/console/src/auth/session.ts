import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Principal, Rights } from '@msched/identity';
import type { ConsolePrincipal } from './authenticator';

/**
 * A login becomes a session cookie (HttpOnly, SameSite=Strict), so the token is never kept by the
 * page or put in a URL: EventSource (live updates) cannot send headers, cookies it can. The cookie
 * is sealed with AES-256-GCM (encrypted and authenticated): it carries the principal, an expiry and,
 * with Keycloak tokens, the user's own access token for the calls made on their behalf (cancel),
 * which nobody without the key can read or alter. The key comes from MSCHED_CONSOLE_SESSION_SECRET
 * (every replica agrees); without one, static mode derives it from the tokens (changing them ends
 * every session) and oidc mode draws a random one per process.
 */
export const SESSION_COOKIE = 'msched_console';

/** Browsers keep cookies up to 4096 bytes (name and attributes included). */
const MAX_COOKIE_VALUE = 3900;
const AAD = Buffer.from('msched-console-session-v2');

interface SessionBody {
  n: string;
  op: boolean;
  exp: number;
  /** Keycloak identity: gateway, user, rights (admin, readAll, use). */
  g?: string;
  u?: string;
  r?: [boolean, boolean, boolean];
  /** The user's access token. */
  t?: string;
}

export class SessionTooLarge extends Error {}

export class SessionSigner {
  private readonly key: Buffer;

  constructor(secretMaterial: string, private readonly lifetimeMs: number, private readonly now: () => number = Date.now) {
    this.key = secretMaterial === ''
      ? randomBytes(32)
      : createHash('sha256').update('msched-console-session\0').update(secretMaterial).digest();
  }

  /** The cookie value and its lifetime: the session's, and never past the token's expiry. */
  issue(p: ConsolePrincipal): { value: string; maxAgeSeconds: number } {
    const exp = Math.min(this.now() + this.lifetimeMs, p.expiresAtMs ?? Number.POSITIVE_INFINITY);
    const body: SessionBody = { n: p.name, op: p.canOperate, exp };
    if (p.identity) {
      const r = p.identity.rights;
      Object.assign(body, { g: p.identity.gatewayId, u: p.identity.userName, r: r ? [r.admin, r.readAll, r.use] : undefined });
    }
    if (p.accessToken) body.t = p.accessToken;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(AAD);
    const sealed = Buffer.concat([iv, cipher.update(deflateRawSync(Buffer.from(JSON.stringify(body), 'utf8'))), cipher.final(), cipher.getAuthTag()]);
    const value = sealed.toString('base64url');
    if (value.length > MAX_COOKIE_VALUE) throw new SessionTooLarge(`the token is too large to keep in a browser session (${value.length} bytes sealed): send it as "Authorization: Bearer" from your proxy instead`);
    return { value, maxAgeSeconds: Math.max(0, Math.floor((exp - this.now()) / 1000)) };
  }

  /** The principal of a valid, unexpired cookie value; undefined otherwise. */
  verify(value: string | undefined): ConsolePrincipal | undefined {
    if (!value || !/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
    const sealed = Buffer.from(value, 'base64url');
    if (sealed.length < 12 + 16 + 1) return undefined;
    let body: Partial<SessionBody>;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
      decipher.setAAD(AAD);
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      const plain = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
      body = JSON.parse(inflateRawSync(plain, { maxOutputLength: 64 * 1024 }).toString('utf8'));
    } catch {
      return undefined;
    }
    if (typeof body.n !== 'string' || typeof body.op !== 'boolean' || typeof body.exp !== 'number' || body.exp <= this.now()) return undefined;
    const p: ConsolePrincipal = { name: body.n, canOperate: body.op };
    if (typeof body.u === 'string') {
      // A Keycloak identity always has rights: without them decideAccess would allow everything.
      if (!Array.isArray(body.r) || body.r.length !== 3 || !body.r.every((x) => typeof x === 'boolean')) return undefined;
      const [admin, readAll, use] = body.r;
      const rights: Rights = { admin, readAll, use };
      p.identity = { gatewayId: body.g, userName: body.u, rights } satisfies Principal;
      p.expiresAtMs = body.exp;
    }
    if (typeof body.t === 'string') p.accessToken = body.t;
    return p;
  }
}

/** The value of one cookie in a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
