import { AuthzToken } from '@msched/airavata-thrift';
import { startConsole, RunningConsole } from '@msched/console';
import { ApiHarness, startApiHarness, testLogger } from '../../helpers/pipeline';

export const OPERATOR_TOKEN = 'console-operator-token-1f2e';
export const VIEWER_TOKEN = 'console-viewer-token-9a8b';
/** What Airavata presents to the API in this suite (static mode, same secret as the console's operator). */
export const API_TOKEN = new AuthzToken({ accessToken: OPERATOR_TOKEN, claimsMap: { userName: 'alice' } });

/** Static-token settings of the API and the console, as an operator would set them. */
export const AUTH_ENV = { MSCHED_API_AUTH_MODE: 'static', MSCHED_API_AUTH_SECRET: OPERATOR_TOKEN, MSCHED_CONSOLE_VIEWER_TOKEN: VIEWER_TOKEN };

/** The console of an API harness (or a whole pipeline): its terminateExperiment goes to that API. */
export async function startConsoleFor(h: ApiHarness): Promise<RunningConsole> {
  const cfg = { ...h.cfg, api: { ...h.cfg.api, port: h.api.port }, console: { ...h.cfg.console, host: '127.0.0.1' } };
  return startConsole(cfg, { logger: testLogger('console'), ds: h.ds, port: 0 });
}

export async function startConsoleHarness(scope: string): Promise<{ h: ApiHarness; c: RunningConsole; close(): Promise<void> }> {
  const h = await startApiHarness(scope, AUTH_ENV);
  const c = await startConsoleFor(h);
  return { h, c, async close() { await c.close(); await h.close(); } };
}

/** fetch against the console with the operator's (or another) bearer token. */
export function consoleFetch(c: RunningConsole, path: string, o: { token?: string | null; method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { ...o.headers };
  const token = o.token === undefined ? OPERATOR_TOKEN : o.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (o.body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(new URL(path, c.url), { method: o.method ?? 'GET', headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
}
