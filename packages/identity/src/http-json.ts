import http from 'node:http';
import https from 'node:https';

export interface JsonResponse {
  status: number;
  body: unknown;
}

export interface GetJsonOptions {
  timeoutMs: number;
  /** Carries the extra CA of MSCHED_API_OIDC_CA_FILE for https URLs. */
  agent?: https.Agent;
  /** Sent as "Authorization: Bearer ..."; never part of an error message. */
  bearer?: string;
}

/** Largest document accepted from the identity provider (discovery, userinfo). */
const MAX_BYTES = 1024 * 1024;

/**
 * GET a JSON document. Network failures, timeouts and non-JSON bodies reject with an Error naming
 * the URL (never the bearer token); any HTTP status resolves, for the caller to judge.
 */
export function getJson(url: string, o: GetJsonOptions): Promise<JsonResponse> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (o.bearer !== undefined) headers.authorization = `Bearer ${o.bearer}`;
  return new Promise((resolve, reject) => {
    const req = mod.get(u, { headers, timeout: o.timeoutMs, ...(u.protocol === 'https:' && o.agent ? { agent: o.agent } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BYTES) req.destroy(new Error(`${url} answered more than ${MAX_BYTES} bytes`));
        else chunks.push(c);
      });
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          if ((res.statusCode ?? 0) < 300) return reject(new Error(`${url} did not answer JSON (HTTP ${res.statusCode})`));
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${url} did not answer within ${o.timeoutMs} ms`)));
    req.on('error', (e) => reject(new Error(`cannot reach ${url}: ${e.message}`)));
  });
}
