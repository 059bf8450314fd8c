import { readFileSync } from 'node:fs';
import { createLogger } from '@msched/logging';
import { LocalCluster, LocalClusterOptions, startLocalCluster } from '@msched/mesos-local';
import { eventually } from '../../helpers/eventually';
import { getJson, httpRequest, Json, RawScheduler } from '../../helpers/mesos-raw';

/** Cluster logs in tests: errors only (the suites provoke warnings on purpose) unless MSCHED_LOG_LEVEL says otherwise. */
export function testLogLevel(): 'error' | 'warn' | 'info' | 'debug' {
  const l = process.env.MSCHED_LOG_LEVEL;
  return l === 'warn' || l === 'info' || l === 'debug' ? l : 'error';
}

/** A local cluster with fast timings for tests: ports from a random base, a temporary work dir. */
export function startTestCluster(overrides: LocalClusterOptions = {}): Promise<LocalCluster> {
  return startLocalCluster({
    agents: 2,
    cpus: 2,
    mem: 1024,
    port: 0,
    portsFrom: 32000 + Math.floor(Math.random() * 25000),
    timing: { allocationIntervalMs: 50, heartbeatIntervalSeconds: 1, agentDisconnectTimeoutMs: 60_000, agentReregisterTimeoutMs: 20_000 },
    statusUpdateRetry: { baseMs: 300, maxMs: 3000 },
    defaultKillGraceMs: 500,
    logger: createLogger({ service: 'mesos-local-test', level: testLogLevel() }),
    ...overrides,
  });
}

/** True while the process exists and is not a zombie (read from /proc, as the task rules demand). */
export function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Reads a sandbox file over the master's files API. */
export async function readSandboxFile(masterUrl: string, path: string): Promise<string> {
  const r = await httpRequest('GET', `${masterUrl}/files/read?path=${encodeURIComponent(path)}&offset=0`);
  if (r.status !== 200) throw new Error(`files/read ${path} answered ${r.status}: ${r.body}`);
  return JSON.parse(r.body).data;
}

/** The task's sandbox directory from /master/state (live or completed). */
export async function sandboxOf(masterUrl: string, frameworkId: string, taskId: string): Promise<string> {
  return eventually(`the sandbox of ${taskId} in /master/state`, async () => {
    const state = await getJson(`${masterUrl}/master/state`);
    const fw = state.frameworks.find((f: Json) => f.id === frameworkId);
    const task = [...(fw?.tasks ?? []), ...(fw?.completed_tasks ?? [])].find((x: Json) => x.id === taskId);
    return task?.directory as string | undefined;
  });
}

/** Pids a task wrote into a sandbox file, one per line, once `count` are there. */
export async function pidsFrom(masterUrl: string, path: string, count: number): Promise<number[]> {
  return eventually(`${count} pids in ${path}`, async () => {
    const text = await readSandboxFile(masterUrl, path).catch(() => '');
    const pids = text.split('\n').map((l) => l.trim()).filter(Boolean).map(Number);
    return pids.length >= count ? pids : undefined;
  });
}

/**
 * Explicit reconciliation as schedulers must do it after a master failover: a master that is still
 * waiting for the task's agent to re-register does not answer, so ask again until it does.
 */
export async function reconcileUntilAnswered(s: RawScheduler, taskId: string, agentId: Json, timeoutMs = 15_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await s.mustCall('RECONCILE', { tasks: [{ task_id: { value: taskId }, agent_id: agentId }] });
    const answer = await s.stream.nextUpdate(taskId, undefined, 300).catch(() => null);
    if (answer) return answer;
    if (Date.now() > deadline) throw new Error(`no reconciliation answer for ${taskId} within ${timeoutMs} ms`);
  }
}
