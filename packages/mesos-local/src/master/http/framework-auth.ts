import { createHash, timingSafeEqual } from 'node:crypto';

/** principal → secret, as the entries of a master's `--credentials` file. */
export type FrameworkCredentials = ReadonlyMap<string, string>;

export type FrameworkAuthentication = { ok: true; principal: string } | { ok: false; message: string };

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * HTTP Basic authentication of a scheduler call, as a master started with
 * `--authenticate_http_frameworks --http_framework_authenticators=basic` does it.
 */
export function authenticateFramework(credentials: FrameworkCredentials, authorization: string | undefined): FrameworkAuthentication {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!m) return { ok: false, message: authorization ? 'Expecting HTTP Basic credentials' : 'Missing credentials' };
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return { ok: false, message: 'Malformed HTTP Basic credentials' };
  const principal = decoded.slice(0, colon);
  const expected = credentials.get(principal);
  // Compare digests so the time taken says nothing about the secret (nor whether the principal exists).
  const match = timingSafeEqual(digest(decoded.slice(colon + 1)), digest(expected ?? `\0no such principal ${principal}`));
  if (expected === undefined || !match) return { ok: false, message: 'Authentication failed' };
  return { ok: true, principal };
}

/** A master's `--credentials` file: `{"credentials": [{"principal": "...", "secret": "..."}]}`. */
export function parseCredentialsJson(text: string): Map<string, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error('the credentials file is not JSON ({"credentials": [{"principal": ..., "secret": ...}]})');
  }
  const list = (doc as { credentials?: unknown })?.credentials;
  if (!Array.isArray(list) || list.length === 0) throw new Error('the credentials file has no "credentials" list');
  const out = new Map<string, string>();
  for (const [i, c] of list.entries()) {
    const { principal, secret } = (c ?? {}) as { principal?: unknown; secret?: unknown };
    if (typeof principal !== 'string' || principal === '' || typeof secret !== 'string' || secret === '') {
      throw new Error(`credentials[${i}] needs a non-empty "principal" and "secret"`);
    }
    out.set(principal, secret);
  }
  return out;
}
