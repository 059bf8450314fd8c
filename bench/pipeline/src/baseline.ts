import { randomUUID } from 'node:crypto';
import type { Logger } from '@msched/logging';
import { launchOperation, Offer, Resource, SchedulerClient, StaticLeaderDetector, TaskStatus } from '@msched/mesos';

/**
 * The same-run baseline: a bare Mesos v1 framework (the scheduler client alone, no database, no
 * Kafka) starting `/bin/true` on the same local cluster. It times ACCEPT → TASK_RUNNING and
 * ACCEPT → TASK_FINISHED per launch, for one task and for two tasks on two agents (a 2-rank gang).
 */
export interface BaselineResult { running: number[]; finished: number[]; gangRunning: number[]; gangFinished: number[] }

export async function runBaseline(masterUrl: string, logger: Logger, launches: number): Promise<BaselineResult> {
  const client = new SchedulerClient({
    detector: new StaticLeaderDetector(masterUrl), logger,
    framework: { user: process.env.USER ?? 'root', name: 'bench-bare-framework', roles: ['*'], failoverTimeoutSeconds: 0 },
  });
  const offers = new Map<string, Offer>();
  let offerWaiter: (() => void) | undefined;
  const updates = new Map<string, (s: TaskStatus) => void>();
  client.on('offers', (os) => {
    for (const o of os) offers.set(o.id.value, o);
    offerWaiter?.();
  });
  client.on('rescind', (id) => offers.delete(id));
  client.on('update', (s) => {
    if (s.uuid) void client.acknowledge(s).catch(() => undefined);
    updates.get(s.task_id.value)?.(s);
  });
  const subscribed = new Promise((ok) => client.once('subscribed', ok));
  client.start();
  await subscribed;

  /** Offers from `agents` distinct agents with a cpu free; waits for the allocator (not timed). */
  async function takeOffers(agents: number): Promise<Offer[]> {
    for (;;) {
      const byAgent = new Map<string, Offer>();
      for (const o of offers.values()) if (cpus(o) >= 1 && !byAgent.has(o.agent_id.value)) byAgent.set(o.agent_id.value, o);
      if (byAgent.size >= agents) {
        const chosen = [...byAgent.values()].slice(0, agents);
        for (const o of chosen) offers.delete(o.id.value);
        return chosen;
      }
      await new Promise<void>((ok) => { offerWaiter = ok; setTimeout(ok, 200); });
    }
  }

  /** Launches one /bin/true per offer; resolves with [ms to all RUNNING, ms to all FINISHED]. */
  async function launch(chosen: Offer[]): Promise<[number, number]> {
    const ids = chosen.map(() => `bare-${randomUUID()}`);
    const runningAt: number[] = [];
    const finishedAt: number[] = [];
    const done = Promise.all(ids.map((id) => new Promise<void>((ok, fail) => {
      updates.set(id, (s) => {
        if (s.state === 'TASK_RUNNING') runningAt.push(performance.now());
        else if (s.state === 'TASK_FINISHED') { finishedAt.push(performance.now()); updates.delete(id); ok(); }
        else if (s.state !== 'TASK_STARTING' && s.state !== 'TASK_STAGING') fail(new Error(`bare framework task ${id}: ${s.state} ${s.message ?? ''}`));
      });
    })));
    const t0 = performance.now();
    await Promise.all(chosen.map((o, i) => client.accept([o.id.value], [launchOperation([{
      name: ids[i], task_id: { value: ids[i] }, agent_id: o.agent_id,
      resources: [oneCpu(o), { ...memOf(o), scalar: { value: 32 } }],
      command: { shell: false, value: '/bin/true', arguments: ['true'] },
    }])], 0)));
    await done;
    return [Math.max(...runningAt) - t0, Math.max(...finishedAt) - t0];
  }

  const r: BaselineResult = { running: [], finished: [], gangRunning: [], gangFinished: [] };
  try {
    for (let i = 0; i < launches; i++) {
      const [a, b] = await launch(await takeOffers(1));
      r.running.push(a); r.finished.push(b);
    }
    for (let i = 0; i < launches; i++) {
      const [a, b] = await launch(await takeOffers(2));
      r.gangRunning.push(a); r.gangFinished.push(b);
    }
  } finally {
    await client.teardown().catch(() => undefined);
    client.stop();
  }
  return r;
}

function cpus(o: Offer): number {
  return o.resources.filter((x) => x.name === 'cpus').reduce((s, x) => s + (x.scalar?.value ?? 0), 0);
}
function oneCpu(o: Offer): Resource {
  const c = o.resources.find((x) => x.name === 'cpus' && (x.scalar?.value ?? 0) >= 1) as Resource;
  return { ...c, scalar: { value: 1 } };
}
function memOf(o: Offer): Resource {
  return o.resources.find((x) => x.name === 'mem') as Resource;
}
