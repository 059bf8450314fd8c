import { DEFAULT_FAIR_SHARE, OfferPolicy, type PolicyEvent } from '@msched/gang';
import type { AgentState, ClusterState } from '@msched/mesos';

/**
 * node bench/trace/dist/expected-starts.js: what `OfferPolicy.expectedStarts` costs with 500
 * waiting and 300 running gangs on 100 agents of 32 cpus (fair-share order, one gateway with a
 * core quota), against the policy's own evaluation of a tick on the same state, in the same run.
 */
const AGENTS = 100;
const RUNNING = 300;
const WAITING = 500;
const ROUNDS = 200;
const T0 = Date.UTC(2026, 0, 1);

function cluster(): ClusterState {
  const amounts = (cpus: number, mem: number) => ({ cpus, mem, disk: 0, gpus: 0, ports: [{ begin: 31000, end: 32000 }] });
  return {
    masterUrl: 'http://bench',
    agents: Array.from({ length: AGENTS }, (_, i): AgentState => ({
      id: `a${i}`, hostname: `a${i}`, active: true, attributes: {}, total: amounts(32, 32 * 4096), used: amounts(0, 0), offered: amounts(0, 0), reservedByRole: {},
    })),
  };
}

function main(): void {
  let x = 1;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const policy = new OfferPolicy({
    roles: ['mpi'], holdSeconds: 30, declineRefuseSeconds: 10, idleRefuseSeconds: 300, reservationAgingSeconds: 600,
    order: 'fair-share', fairShare: DEFAULT_FAIR_SHARE, quotas: { gw1: { maxRunningCores: 800 } },
  });
  policy.handle({ type: 'clusterState', state: cluster() }, T0);
  const events: PolicyEvent[] = [];
  for (let i = 0; i < RUNNING; i++) {
    events.push({ type: 'gangRunning', gang: {
      gangId: `r${i}`, role: 'mpi', tenant: { gateway: `gw${i % 4}`, user: `u${i % 40}` }, launchedAt: T0 - 3_600_000,
      expectedEndAt: T0 + Math.floor(rnd() * 86_400_000), shares: [{ agentId: `a${i % AGENTS}`, hostname: 'a', cpus: 10, mem: 10 * 4096, disk: 0 }],
    } });
  }
  for (let i = 0; i < WAITING; i++) {
    events.push({ type: 'gangQueued', gang: {
      gangId: `w${i}`, tenant: { gateway: `gw${i % 4}`, user: `u${i % 40}` }, wallTimeSeconds: 600 + Math.floor(rnd() * 86_400), queuedAt: T0 - i * 1000,
      request: { ranks: 1 + Math.floor(rnd() * 64), cpusPerRank: 1, memMbPerRank: 1024, role: 'mpi' },
    } });
  }
  policy.handle(events, T0);
  const time = (fn: (k: number) => void): number[] => {
    const out: number[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      const t = process.hrtime.bigint();
      fn(k);
      out.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return out.sort((a, b) => a - b);
  };
  const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)];
  // Interleaved rounds, 5 s of policy time apart, as a dispatcher refreshing estimates would call it.
  const starts = time((k) => policy.expectedStarts(T0 + k * 5000));
  const ticks = time((k) => policy.handle({ type: 'tick' }, T0 + k * 5000 + 1));
  const estimated = [...policy.expectedStarts(T0 + ROUNDS * 5000).values()].filter((v) => v !== undefined).length;
  process.stdout.write(`expectedStarts: ${WAITING} waiting (${estimated} with an estimate), ${RUNNING} running, ${AGENTS} agents, ${ROUNDS} calls\n`);
  process.stdout.write(`  expectedStarts   median ${pct(starts, 0.5).toFixed(2)} ms  p99 ${pct(starts, 0.99).toFixed(2)} ms\n`);
  process.stdout.write(`  tick (baseline)  median ${pct(ticks, 0.5).toFixed(2)} ms  p99 ${pct(ticks, 0.99).toFixed(2)} ms\n`);
  process.stdout.write(`  ratio (median)   ${(pct(starts, 0.5) / pct(ticks, 0.5)).toFixed(2)}× a tick's evaluation\n`);
}

main();
