import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConsolePrincipal } from './authenticator';

/**
 * A login becomes a signed session cookie (HttpOnly, SameSite=Strict), so the token itself is never
 * kept by the page or put in a URL: EventSource (live updates) cannot send headers, cookies it can.
 * The cookie carries only the principal and an expiry, signed with a key derived from the tokens
 * (every console replica agrees; changing the tokens ends every session).
 */
export const SESSION_COOKIE = 'msched_console';

interface SessionBody { n: string; op: boolean; exp: number }

export class SessionSigner {
  private readonly key: Buffer;

  constructor(secretMaterial: string, private readonly lifetimeMs: number, private readonly now: () => number = Date.now) {
    this.key = secretMaterial === ''
      ? randomBytes(32)
      : createHash('sha256').update('msched-console-session\0').update(secretMaterial).digest();
  }

  issue(p: ConsolePrincipal): { value: string; maxAgeSeconds: number } {
    const body: SessionBody = { n: p.name, op: p.canOperate, exp: this.now() + this.lifetimeMs };
    const payload = Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
    return { value: `${payload}.${this.sign(payload).toString('base64url')}`, maxAgeSeconds: Math.floor(this.lifetimeMs / 1000) };
  }

  /** The principal of a valid, unexpired cookie value; undefined otherwise. */
  verify(value: string | undefined): ConsolePrincipal | undefined {
    if (!value) return undefined;
    const dot = value.indexOf('.');
    if (dot <= 0) return undefined;
    const payload = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const expected = this.sign(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let body: Partial<SessionBody>;
    try {
      body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (typeof body.n !== 'string' || typeof body.op !== 'boolean' || typeof body.exp !== 'number' || body.exp <= this.now()) return undefined;
    return { name: body.n, canOperate: body.op };
  }

  private sign(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest();
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
