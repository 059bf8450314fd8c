import http from 'node:http';
import https from 'node:https';
import { MesosConnectionError } from '../errors';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: Buffer;
  readonly agent?: http.Agent;
  readonly timeoutMs: number;
}

/** The module that speaks the URL's scheme. */
export function transportFor(url: URL): typeof http | typeof https {
  return url.protocol === 'https:' ? https : http;
}

/**
 * One request with a complete (non-streaming) answer. Any failure before the answer arrives is a
 * retriable MesosConnectionError; HTTP statuses are left to the caller to judge.
 */
export function sendRequest(req: HttpRequest): Promise<HttpAnswer> {
  const url = new URL(req.url);
  return new Promise((resolve, reject) => {
    const r = transportFor(url).request(url, {
      method: req.method,
      headers: { ...req.headers, ...(req.body ? { 'Content-Length': String(req.body.length) } : {}) },
      agent: req.agent,
    });
    r.setTimeout(req.timeoutMs, () => r.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
    r.on('error', (e) => reject(new MesosConnectionError(`${req.method} ${url.origin}${url.pathname} failed: ${e.message}`, e)));
    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => reject(new MesosConnectionError(`reading the answer of ${url.origin}${url.pathname} failed: ${e.message}`, e)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    r.end(req.body);
  });
}
