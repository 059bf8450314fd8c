import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed tokens: compact HS256 JWTs (header.payload.signature, base64url). Only HS256 is accepted,
 * so an "alg":"none" token or one signed with another algorithm is refused.
 */
export interface TokenClaims {
  /** The gateway the token is for; calls about another gateway's experiments are refused. */
  gateway?: string;
  /** The user name (JWT "sub"). */
  sub?: string;
  /** Expiry, seconds since the epoch (required). */
  exp: number;
}

export class TokenError extends Error {
  readonly retriable = false;
  constructor(readonly failure: 'invalid' | 'expired', message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function sign(secret: string, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

export function signToken(secret: string, claims: TokenClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${HEADER}.${payload}.${sign(secret, `${HEADER}.${payload}`).toString('base64url')}`;
}

export function verifyToken(secret: string, token: string, nowMs = Date.now()): TokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenError('invalid', 'token is not a signed token (header.payload.signature)');
  const [header, payload, signature] = parts;
  let h: { alg?: unknown };
  try {
    h = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  } catch {
    throw new TokenError('invalid', 'token header is not JSON');
  }
  if (h?.alg !== 'HS256') throw new TokenError('invalid', `token algorithm ${JSON.stringify(h?.alg)} is not accepted (HS256 only)`);
  const expected = sign(secret, `${header}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenError('invalid', 'token signature does not match');
  let c: Partial<TokenClaims>;
  try {
    c = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new TokenError('invalid', 'token payload is not JSON');
  }
  if (typeof c !== 'object' || c === null || typeof c.exp !== 'number') throw new TokenError('invalid', 'token has no expiry (exp)');
  if (c.gateway !== undefined && typeof c.gateway !== 'string') throw new TokenError('invalid', 'token gateway claim is not a string');
  if (c.sub !== undefined && typeof c.sub !== 'string') throw new TokenError('invalid', 'token sub claim is not a string');
  if (c.exp * 1000 <= nowMs) throw new TokenError('expired', `token expired at ${new Date(c.exp * 1000).toISOString()}`);
  return c as TokenClaims;
}
