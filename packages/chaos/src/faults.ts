import type { AgentFree } from './fit-at-kill';
import type { FaultRecord } from './histories';
import { sleep } from './proc';
import type { ScheduledFault } from './schedule';
import { leadingDispatcher, ServiceReplica } from './services';
import type { IsolatedStack } from './stack';

export interface FaultContext {
  stack: IsolatedStack;
  replicas: ServiceReplica[];
  /** The framework id the dispatchers subscribed with (for stream cuts). */
  frameworkId: () => Promise<string | undefined>;
  log: (line: string) => void;
}

async function leadingMaster(stack: IsolatedStack): Promise<number | undefined> {
  for (let i = 0; i < stack.masters.length; i++) {
    if (!stack.masters[i].alive) continue;
    try {
      const res = await fetch(`http://127.0.0.1:${stack.masterPorts[i]}/master/state`, { redirect: 'manual', signal: AbortSignal.timeout(3000) });
      if (res.status === 200) {
        const s = await res.json() as { leader?: string; pid?: string };
        if (s.leader && s.pid && s.leader === s.pid) return i;
      }
    } catch { /* down or standby */ }
  }
  return undefined;
}

/** Each active agent's free resources (total less used) by the leading master's account. */
async function freeResources(stack: IsolatedStack): Promise<AgentFree[]> {
  const i = await leadingMaster(stack);
  if (i === undefined) throw new Error('no leading master');
  const res = await fetch(`http://127.0.0.1:${stack.masterPorts[i]}/master/state`, { signal: AbortSignal.timeout(3000) });
  type V0 = { cpus?: number; mem?: number };
  const s = await res.json() as { slaves: Array<{ active: boolean; resources: V0; used_resources: V0 }> };
  return s.slaves.filter((a) => a.active).map((a) => ({
    cpus: (a.resources.cpus ?? 0) - (a.used_resources.cpus ?? 0),
    memMb: (a.resources.mem ?? 0) - (a.used_resources.mem ?? 0),
  }));
}

async function postFault(stack: IsolatedStack, body: Record<string, unknown>): Promise<string> {
  const i = await leadingMaster(stack);
  if (i === undefined) throw new Error('no leading master to send the fault to');
  const res = await fetch(`http://127.0.0.1:${stack.masterPorts[i]}/_local/faults`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(5000) });
  if (res.status >= 300) throw new Error(`the master answered ${res.status}: ${await res.text()}`);
  return `via master${i}`;
}

/**
 * Injects one fault and waits until its target is back (a killed process is restarted after the
 * fault's delay; an outage ends after its duration). Returns what happened, for the history.
 */
export async function injectFault(f: ScheduledFault, c: FaultContext): Promise<FaultRecord> {
  const at = Date.now();
  const rec = (target: string, detail?: string): FaultRecord => ({ kind: f.kind, at, target, ok: true, detail });
  const killService = async (r: ServiceReplica | undefined): Promise<FaultRecord> => {
    if (!r) throw new Error('no such replica running');
    const killedAt = Date.now();
    r.proc.heldDown = true;
    await r.proc.kill9();
    await sleep(f.durationMs);
    r.proc.heldDown = false;
    r.proc.start();
    return { ...rec(r.proc.name, `restarted after ${f.durationMs} ms`), at: killedAt };
  };
  try {
    switch (f.kind) {
      case 'kill-api': return await killService(c.replicas.find((r) => r.service === 'api' && r.index === f.target));
      case 'kill-provisioner': return await killService(c.replicas.find((r) => r.service === 'provisioner' && r.index === f.target));
      case 'kill-dispatcher': return await killService(c.replicas.find((r) => r.service === 'dispatcher' && r.index === f.target));
      case 'kill-leader-dispatcher': {
        const r = await leadingDispatcher(c.replicas);
        const freeAtKill = r ? await freeResources(c.stack).catch(() => undefined) : undefined;
        return { ...(await killService(r)), ...(freeAtKill ? { freeAtKill } : {}) };
      }
      case 'master-failover': {
        const i = await leadingMaster(c.stack);
        if (i === undefined) throw new Error('no leading master');
        c.stack.masters[i].heldDown = true;
        await c.stack.masters[i].kill9();
        await sleep(f.durationMs);
        c.stack.restartMaster(i);
        return rec(`master${i}`, `killed -9, restarted as standby after ${f.durationMs} ms`);
      }
      case 'kill-agent': {
        const a = c.stack.agents[f.target];
        a.heldDown = true;
        await a.kill9();
        await sleep(f.durationMs);
        a.heldDown = false;
        a.start();
        return rec(a.name, `killed -9, restarted after ${f.durationMs} ms`);
      }
      case 'kafka-outage':
        await c.stack.kafka.kill9();
        await sleep(f.durationMs);
        c.stack.kafka.start();
        await c.stack.waitKafka();
        return rec('kafka', `down ${f.durationMs} ms (kill -9)`);
      case 'zk-outage':
        await c.stack.zk.kill9();
        await sleep(f.durationMs);
        c.stack.zk.start();
        await c.stack.waitZk();
        return rec('zookeeper', `down ${f.durationMs} ms (kill -9)`);
      case 'pg-restart':
        await c.stack.pg.kill9();
        await sleep(f.durationMs);
        c.stack.pg.start();
        await c.stack.waitPg();
        return rec('postgres', `crashed (kill -9) and restarted after ${f.durationMs} ms`);
      case 'stream-cut': {
        const id = await c.frameworkId();
        if (!id) throw new Error('the framework id is not known yet');
        return rec('framework stream', await postFault(c.stack, { type: 'CUT_FRAMEWORK_STREAM', framework_id: id }));
      }
      case 'delay-updates': {
        const ms = 2000;
        const via = await postFault(c.stack, { type: 'DELAY_STATUS_UPDATES', ms });
        await sleep(f.durationMs);
        await postFault(c.stack, { type: 'DELAY_STATUS_UPDATES', ms: 0 }).catch(() => undefined);
        return rec('status updates', `delayed ${ms} ms for ${f.durationMs} ms ${via}`);
      }
      case 'duplicate-updates': {
        const via = await postFault(c.stack, { type: 'DUPLICATE_STATUS_UPDATES', on: true });
        await sleep(f.durationMs);
        await postFault(c.stack, { type: 'DUPLICATE_STATUS_UPDATES', on: false }).catch(() => undefined);
        return rec('status updates', `duplicated for ${f.durationMs} ms ${via}`);
      }
    }
  } catch (e) {
    return { kind: f.kind, at, target: '-', ok: false, detail: (e as Error).message };
  }
}
