import { join } from 'node:path';
import { freePort } from '@msched/devstack';
import { ManagedProcess, until } from './proc';

export type ServiceName = 'api' | 'provisioner' | 'dispatcher';

export interface ServiceReplica {
  service: ServiceName;
  index: number;
  proc: ManagedProcess;
  /** Port of /healthz, /readyz, /metrics. */
  healthPort: number;
  /** Thrift port (API replicas only). */
  apiPort?: number;
}

/** Starts two replicas of each service as `node services/<svc>/dist/main.js`, configured by environment. */
export async function startServices(repo: string, logDir: string, baseEnv: NodeJS.ProcessEnv, extraEnv: Partial<Record<ServiceName, NodeJS.ProcessEnv>> = {}): Promise<ServiceReplica[]> {
  const replicas: ServiceReplica[] = [];
  for (const service of ['api', 'provisioner', 'dispatcher'] as const) {
    for (const index of [0, 1]) {
      const healthPort = await freePort();
      const apiPort = service === 'api' ? await freePort() : undefined;
      const env: NodeJS.ProcessEnv = {
        ...baseEnv, ...extraEnv[service],
        MSCHED_API_HEALTH_PORT: service === 'api' ? String(healthPort) : '0',
        MSCHED_PROVISIONER_HEALTH_PORT: service === 'provisioner' ? String(healthPort) : '0',
        MSCHED_DISPATCHER_HEALTH_PORT: service === 'dispatcher' ? String(healthPort) : '0',
        ...(apiPort ? { MSCHED_API_PORT: String(apiPort) } : {}),
      };
      const proc = new ManagedProcess(`${service}${index}`, process.execPath, [join(repo, 'services', service, 'dist', 'main.js')], env, join(logDir, `${service}${index}.log`));
      replicas.push({ service, index, proc, healthPort, apiPort });
    }
  }
  // The API first: it applies the migrations; the others then find the schema in place.
  const apis = replicas.filter((r) => r.service === 'api');
  apis[0].proc.start();
  await until('the first API replica to be ready', 120_000, () => ready(apis[0]));
  for (const r of replicas) r.proc.start();
  for (const r of replicas) await until(`${r.proc.name} to answer /healthz`, 120_000, () => healthy(r));
  return replicas;
}

export async function healthy(r: ServiceReplica): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${r.healthPort}/healthz`, { signal: AbortSignal.timeout(2000) });
  return res.status === 200;
}

export async function ready(r: ServiceReplica): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${r.healthPort}/readyz`, { signal: AbortSignal.timeout(2000) });
  return res.status === 200;
}

/** Whether a dispatcher replica leads, from its own metrics (msched_leader). */
export async function isLeader(r: ServiceReplica): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${r.healthPort}/metrics`, { signal: AbortSignal.timeout(2000) });
  return /^msched_leader(\{[^}]*\})? 1$/m.test(await res.text());
}

export async function leadingDispatcher(replicas: readonly ServiceReplica[]): Promise<ServiceReplica | undefined> {
  for (const r of replicas.filter((x) => x.service === 'dispatcher' && x.proc.alive)) if (await isLeader(r).catch(() => false)) return r;
  return undefined;
}
