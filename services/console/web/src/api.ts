/** The console's JSON API as the pages call it. The session is an HttpOnly cookie: no token here. */

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Set by the app: called when the server says the session is gone (401). */
export let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(f: () => void): void {
  onUnauthorized = f;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-Msched-Console'] = '1';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (res.status === 401 && path !== '/api/session') onUnauthorized();
  if (!res.ok) throw new ApiError(res.status, (data as { error?: string }).error ?? `${res.status} ${res.statusText}`);
  return data as T;
}

export const get = <T>(path: string) => call<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => call<T>('POST', path, body);
export const del = <T>(path: string) => call<T>('DELETE', path);

export interface Me {
  name: string; canOperate: boolean; authenticated: boolean;
  /** Keycloak users (MSCHED_API_AUTH_MODE=oidc): who they are and what their roles allow. */
  userName?: string | null; gatewayId?: string | null; rights?: { admin: boolean; readAll: boolean; use: boolean };
}

export interface JobRow {
  jobId: string; experimentId: string; experimentName: string; state: string; experimentState: string;
  gatewayId: string; userName: string; queueName: string | null; ranks: number | null; attempt: number;
  createdAt: string; queuedAt: string | null; launchedAt: string | null; settledAt: string | null; waitReason: string | null;
  expectedStartAt: string | null;
}
export interface JobsPage { jobs: JobRow[]; next?: string }

export interface Task {
  taskId: string; agentId: string | null; hostname: string | null; ranks: number[]; state: string;
  exitCode: number | null; message: string | null; sandboxPath: string | null; lastUpdateAt: string | null;
}
export interface HistoryEntry { historyId: string; entityType: string; entityId: string; state: string; reason: string | null; source: string; at: string }
export interface Tail { text: string; truncated: boolean; size: number }
export interface JobDetail {
  job: {
    jobId: string; experimentId: string; processId: string; attempt: number; state: string; reason: string | null;
    exitCode: number | null; failedRank: number | null; gatewayId: string; userName: string; experimentName: string;
    experimentState: string; processState: string; queueName: string | null; totalCpuCount: number | null; createdAt: string;
  };
  extras: { queuedAt: string | null; launchedAt: string | null; settledAt: string | null; cancelRequestedAt: string | null; waitReason: string | null; waitReasonAt: string | null; expectedStartAt: string | null; failureKind: string | null };
  tasks: Task[];
  history: HistoryEntry[];
  stdout: Tail | null;
  stderr: Tail | null;
  outputs: Array<{ name: string; size: number }>;
}

export interface GangShare { agentId: string; hostname: string | null; jobId: string; experimentName: string; ranks: number[]; cpus: number; memMb: number; taskState: string }
export interface Agent {
  id: string; hostname: string; active: boolean;
  total: { cpus: number; mem: number }; used: { cpus: number; mem: number }; offered: { cpus: number; mem: number }; free: { cpus: number; mem: number };
  gangs: GangShare[];
}
export interface WaitingGang {
  jobId: string; experimentId: string; experimentName: string; userName: string; gatewayId: string; ranks: number | null;
  queuedAt: string | null; waitReason: string | null; waitReasonAt: string | null; expectedStartAt: string | null;
}
export interface Cluster { master: string | null; masterError: string | null; agents: Agent[]; waiting: WaitingGang[] }

export interface DeadLetter { id: string; stage: string; jobId: string; experimentId: string; attempts: number; lastError: string; deadAt: string }
