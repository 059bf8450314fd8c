/**
 * bench:runtime — what the single executable runtime costs a task, against the baseline of plain
 * node running the installed dist, measured in the same run, interleaved (one of each per round):
 *   1. start-up of the rank helper (`prepare`, what the native rank wrapper runs before every rank);
 *   2. start-up of an empty program (`msched-task version` vs `node -e 0`);
 *   3. fetching the runtime into a sandbox from the dispatcher's endpoint: first time (download)
 *      vs from the agent's fetcher cache.
 * Prints medians, p99 and ratios of wall time, and the mean CPU time of each start (robust to a
 * busy machine). Rounds: MSCHED_BENCH_ROUNDS (default 25).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '@msched/config';
import { readRuntimeBuild, startRuntimeServer } from '@msched/dispatcher';
import { FetcherCache } from '@msched/mesos-local/dist/internals';
import { buildGangTaskCommand, runtimeUri } from '@msched/mpi';

const REPO = resolve(__dirname, '../../..');
const ROUNDS = Number(process.env.MSCHED_BENCH_ROUNDS ?? 25);

function pct(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];
}
function stats(xs: number[]): { median: number; p99: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: pct(s, 50), p99: pct(s, 99) };
}

/**
 * CPU time (user + system, ms) of this process's waited-for children so far: /proc/self/stat's
 * cutime and cstime. Unlike wall time it hardly moves when other work shares the machine's cores.
 */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of proc(5), counted from the state (field 3) at index 0; clock ticks of 10 ms.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

const cpu: Record<string, number> = {};

function timeRun(series: string, file: string, args: string[], env: Record<string, string>): number {
  const c = childrenCpuMs();
  const t = process.hrtime.bigint();
  const r = spawnSync(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  cpu[series] = (cpu[series] ?? 0) + childrenCpuMs() - c;
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

async function main(): Promise<void> {
  const build = readRuntimeBuild(join(REPO, 'dist/runtime'));
  const scratch = mkdtempSync(join(tmpdir(), 'msched-bench-runtime-'));
  try {
    // A rank's environment as orted gives it: the gang task's variables plus the rank identity.
    const cfg = loadConfig({});
    const command = buildGangTaskCommand(
      { jobId: 'bench', processId: 'p', experimentId: 'e', gatewayId: 'g', attempt: 1, ranks: 2, wallTimeSeconds: 0, flavour: 'openmpi', argv: ['/bin/true'] },
      { index: 0, memberCount: 1, slots: 2, hostname: 'agent1', agentId: 'a1', taskId: 't0' },
      { zookeeper: cfg.zookeeper, mpi: cfg.mpi },
      { node: process.execPath, distDir: join(REPO, 'packages/mpi/dist') },
    );
    const rankEnv: Record<string, string> = {
      ...Object.fromEntries(command.environment.variables.map((v) => [v.name, v.value])),
      MESOS_SANDBOX: scratch, OMPI_COMM_WORLD_RANK: '0', OMPI_COMM_WORLD_SIZE: '2', OMPI_COMM_WORLD_LOCAL_RANK: '0',
    };
    const helperJs = join(REPO, 'packages/mpi/dist/rank-helper.js');
    const series: Record<string, number[]> = { seaHelper: [], nodeHelper: [], seaEmpty: [], nodeEmpty: [] };
    for (let i = 0; i < ROUNDS; i++) {
      series.nodeHelper.push(timeRun('nodeHelper', process.execPath, [helperJs, 'prepare'], rankEnv));
      series.seaHelper.push(timeRun('seaHelper', build.path, ['rank-helper', 'prepare'], rankEnv));
      series.nodeEmpty.push(timeRun('nodeEmpty', process.execPath, ['-e', '0'], {}));
      series.seaEmpty.push(timeRun('seaEmpty', build.path, ['version'], {}));
    }

    // Fetching: a fresh agent cache per round (download), then a second task on it (cache hit).
    const server = await startRuntimeServer(build, '127.0.0.1', 0);
    const uri = runtimeUri({ uri: `http://127.0.0.1:${server.port}${server.path}` });
    const fetchRounds = Math.max(3, Math.min(ROUNDS, 8));
    const miss: number[] = [];
    const hit: number[] = [];
    try {
      for (let i = 0; i < fetchRounds; i++) {
        const cache = new FetcherCache({ dir: join(scratch, `cache-${i}`), maxBytes: 2 * 1024 ** 3 });
        for (const [list, name] of [[miss, 'first'], [hit, 'second']] as const) {
          const sandbox = join(scratch, `sandbox-${i}-${name}`);
          mkdirSync(sandbox, { recursive: true });
          const t = process.hrtime.bigint();
          await cache.fetchAll([uri], sandbox);
          list.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
        rmSync(join(scratch, `cache-${i}`), { recursive: true, force: true });
      }
    } finally {
      await server.close();
    }

    const m = JSON.parse(readFileSync(join(REPO, 'dist/runtime/manifest.json'), 'utf8')) as { size: number; tgzSize: number; glibc: string };
    const row = (name: string, xs: number[]) => {
      const s = stats(xs);
      return `${name.padEnd(44)} median ${s.median.toFixed(1).padStart(7)} ms   p99 ${s.p99.toFixed(1).padStart(7)} ms   (n=${xs.length})`;
    };
    const sh = stats(series.seaHelper), nh = stats(series.nodeHelper), se = stats(series.seaEmpty), ne = stats(series.nodeEmpty);
    const ms = stats(miss), hs = stats(hit);
    console.log(`runtime ${build.file.slice(0, 24)}…  ${(m.size / 1e6).toFixed(1)} MB, .tgz ${(m.tgzSize / 1e6).toFixed(1)} MB, glibc >= ${m.glibc}`);
    console.log(row('rank helper prepare: msched-task (SEA)', series.seaHelper));
    console.log(row('rank helper prepare: node dist (baseline)', series.nodeHelper));
    console.log(row('empty start: msched-task version', series.seaEmpty));
    console.log(row('empty start: node -e 0 (baseline)', series.nodeEmpty));
    console.log(row('fetch into sandbox: first (download)', miss));
    console.log(row('fetch into sandbox: second (fetcher cache)', hit));
    const cpuMean = (k: string) => cpu[k] / series[k].length;
    console.log(`CPU per start (user+sys, mean): helper msched-task ${cpuMean('seaHelper').toFixed(1)} ms, node ${cpuMean('nodeHelper').toFixed(1)} ms; empty msched-task ${cpuMean('seaEmpty').toFixed(1)} ms, node ${cpuMean('nodeEmpty').toFixed(1)} ms`);
    console.log(`load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores (wall times grow with it; CPU times hardly)`);
    console.log(`rank helper start-up over plain node: ${(sh.median - nh.median).toFixed(1)} ms median (ratio ${(sh.median / nh.median).toFixed(2)}), p99 ratio ${(sh.p99 / nh.p99).toFixed(2)}; CPU ${(cpuMean('seaHelper') - cpuMean('nodeHelper')).toFixed(1)} ms (ratio ${(cpuMean('seaHelper') / cpuMean('nodeHelper')).toFixed(2)})`);
    console.log(`empty start over plain node:          ${(se.median - ne.median).toFixed(1)} ms median (ratio ${(se.median / ne.median).toFixed(2)})`);
    console.log(`cached fetch vs download:             ${(ms.median / hs.median).toFixed(0)}x faster (${ms.median.toFixed(0)} ms -> ${hs.median.toFixed(1)} ms median)`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
