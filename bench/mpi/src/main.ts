import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import {
  ComputationalResourceSchedulingModel, connectMetaScheduler, ExperimentModel, ExperimentType, OutputDataObjectType, DataType, UserConfigurationDataModel,
} from '@msched/airavata-thrift';
import { TOKEN } from '../../../test/dist/helpers/pipeline';
import { dropRunDatabases, deleteRunTopics } from '../../../test/dist/helpers/stack';
import { startWholePipeline, type WholePipeline } from '../../../test/dist/helpers/whole-pipeline';
import { HPCC_FIGURES, PINGPONG_FIGURES, hpccInput, median, penalty, readFigures, type Figure } from './figures';
import { RankWrapperSampler } from './rss';

/**
 * bench/mpi: real MPI programs from Debian through the whole system (Thrift launch on the local
 * cluster, outputs collected) and under plain mpirun/mpiexec on the same machine, interleaved in one
 * run, with the programs' own figures of merit and the ratios.
 *
 *   npm run bench:mpi -- [--reps 3] [--ranks 2,4] [--programs hpcc,mpi4py,pingpong-mpich] [--hpcc-n 500] [--json FILE]
 */
const ROOT = resolve(__dirname, '../../..');
const { values: args } = parseArgs({ options: {
  reps: { type: 'string', default: '3' }, ranks: { type: 'string', default: '2,4' },
  programs: { type: 'string', default: 'hpcc,mpi4py,pingpong-mpich' }, 'hpcc-n': { type: 'string', default: '500' },
  iterations: { type: 'string', default: '2000' }, json: { type: 'string' }, 'agent-cpus': { type: 'string', default: '2' },
} });
const REPS = Number(args.reps);
const RANKS = args.ranks.split(',').map(Number);
const ITERATIONS = args.iterations;
const AGENTS = 2;
const AGENT_CPUS = Number(args['agent-cpus']);
const SYSTEM_PYTHON = '/usr/bin/python3';

type FigureSpec = ReadonlyArray<Figure & { key: string; scale: number }>;

interface Program {
  readonly name: string;
  readonly flavour: 'openmpi' | 'mpich';
  /** Catalogue entry per rank count. */
  catalogue(ranks: number): Record<string, unknown>;
  /** The program argv for the plain baseline, run in `cwd`. */
  baselineArgv(ranks: number): string[];
  prepareBaselineDir(ranks: number, cwd: string): void;
  /** Where its figures are, in a directory holding its collected outputs. */
  readonly figuresFile: string;
  readonly figures: FigureSpec;
  readonly requireSuccess: boolean;
}

function requireTool(path: string, hint: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${hint} (deploy/local/install-deps.sh installs it)`);
}

function programs(dir: string): Program[] {
  const wanted = args.programs.split(',');
  const out: Program[] = [];
  if (wanted.includes('hpcc')) {
    requireTool('/usr/bin/hpcc', 'apt-get install hpcc');
    const example = readFileSync('/usr/share/doc/hpcc/examples/_hpccinf.txt', 'utf8');
    const inputFor = (ranks: number) => {
      const d = join(dir, `hpcc-${ranks}`);
      mkdirSync(d, { recursive: true });
      const p = ranks >= 4 && ranks % 2 === 0 ? 2 : 1;
      writeFileSync(join(d, 'hpccinf.txt'), hpccInput(example, Number(args['hpcc-n']), p, ranks / p));
      return join(d, 'hpccinf.txt');
    };
    out.push({
      name: 'hpcc', flavour: 'openmpi',
      catalogue: (ranks) => ({ executable: '/usr/bin/hpcc', mpi: 'openmpi', uris: [{ value: inputFor(ranks) }], memMbPerRank: 256 }),
      baselineArgv: () => ['/usr/bin/hpcc'],
      prepareBaselineDir: (ranks, cwd) => copyFileSync(inputFor(ranks), join(cwd, 'hpccinf.txt')),
      figuresFile: 'hpccoutf.txt', figures: HPCC_FIGURES, requireSuccess: true,
    });
  }
  if (wanted.includes('mpi4py')) {
    requireTool('/usr/lib/python3/dist-packages/mpi4py/__init__.py', 'apt-get install python3-mpi4py');
    const script = join(ROOT, 'bench/mpi/programs/pingpong_allreduce.py');
    out.push({
      name: 'mpi4py', flavour: 'openmpi',
      catalogue: () => ({ executable: SYSTEM_PYTHON, mpi: 'openmpi', args: [script, ITERATIONS], memMbPerRank: 128 }),
      baselineArgv: () => [SYSTEM_PYTHON, script, ITERATIONS],
      prepareBaselineDir: () => undefined,
      figuresFile: 'stdout', figures: PINGPONG_FIGURES, requireSuccess: false,
    });
  }
  if (wanted.includes('pingpong-mpich')) {
    // Debian builds hpcc and mpi4py against OpenMPI only: under MPICH the same measurements in C.
    const exe = join(dir, 'pingpong-mpich');
    execFileSync('mpicc.mpich', ['-O2', '-o', exe, join(ROOT, 'bench/mpi/programs/pingpong_allreduce.c')]);
    out.push({
      name: 'pingpong-mpich', flavour: 'mpich',
      catalogue: () => ({ executable: exe, mpi: 'mpich', args: [ITERATIONS], memMbPerRank: 128 }),
      baselineArgv: () => [exe, ITERATIONS],
      prepareBaselineDir: () => undefined,
      figuresFile: 'stdout', figures: PINGPONG_FIGURES, requireSuccess: false,
    });
  }
  return out;
}

/**
 * Plain mpirun/mpiexec with the system's hosts file shape (two "hosts", one daemon each, started
 * here by local-rsh / Hydra's fork launcher instead of the system's MPI remote shell), transport, interfaces,
 * binding and yield; what still differs is listed by `differences`.
 */
/** What the system's launcher gives MPICH ranks when a machine holds more ranks than cores (native/mpi-yield.c). */
const MPICH_YIELD_SHIM = join(ROOT, 'packages/mpi/dist/msched-mpi-yield.so');
const oversubscribed = (ranks: number) => ranks > availableParallelism();

function baselineCommand(flavour: 'openmpi' | 'mpich', ranks: number, program: string[], cwd: string, o: { yieldWhenIdle: boolean }): { argv: string[]; env: Record<string, string> } {
  const perAgent = ranks / AGENTS;
  const hosts = Array.from({ length: AGENTS }, (_, i) => `benchhost${i + 1}`);
  if (flavour === 'openmpi') {
    const hostfile = join(cwd, 'hostfile');
    writeFileSync(hostfile, hosts.map((h) => `${h} slots=${perAgent}\n`).join(''));
    // What the system's launcher does when a machine holds more ranks than cores.
    const yieldFlag = o.yieldWhenIdle ? ['--mca', 'mpi_yield_when_idle', '1'] : [];
    return {
      argv: ['mpirun.openmpi', '--hostfile', hostfile, '-np', String(ranks), '--mca', 'plm_rsh_agent', `${process.execPath} ${join(__dirname, 'local-rsh.js')}`,
        '--mca', 'plm_rsh_no_tree_spawn', '1', '--leave-session-attached', '--noprefix', '--bind-to', 'none', '--mca', 'btl', 'tcp,self',
        '--mca', 'btl_tcp_if_include', 'lo', '--mca', 'oob_tcp_if_include', 'lo', '--mca', 'rtc_hwloc_vmhole', 'none', ...yieldFlag, ...program],
      env: { OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' },
    };
  }
  return {
    argv: ['mpiexec.mpich', '-launcher', 'fork', '-hosts', hosts.map((h) => `${h}:${perAgent}`).join(','), '-n', String(ranks),
      '-genvnone', ...(o.yieldWhenIdle ? ['-genv', 'LD_PRELOAD', MPICH_YIELD_SHIM] : []), '-localhost', '127.0.0.1', '-iface', 'lo', ...program],
    env: {},
  };
}

function differences(flavour: 'openmpi' | 'mpich', ranks: number): string[] {
  const perAgent = ranks / AGENTS;
  const common = [
    `same hosts file shape: ${AGENTS} hosts x ${perAgent} slot(s), one MPI daemon per host (baseline: started here by ${flavour === 'openmpi' ? 'local-rsh' : 'Hydra\'s fork launcher'}; system: through the MPI remote shell and the gang task on each agent)`,
    `rank wrapper: baseline none; system ${existsSync(join(ROOT, 'packages/mpi/dist/msched-rank-exec')) ? 'msched-rank-exec (C)' : 'node rank-wrapper.js'} around every rank`,
    'stdout: baseline straight to the bench; system daemon -> launcher task -> sandbox file -> collected',
    'control plane: the system\'s services (API, provisioner, dispatcher, local cluster, gang tasks, remote shells) share the cores with the ranks',
  ];
  if (flavour === 'openmpi') {
    return [...common, `same: btl tcp,self on lo, oob on lo, --bind-to none, yield ${ranks > availableParallelism() ? 'on' : 'off'} (${ranks} ranks on ${availableParallelism()} cores)`];
  }
  return [...common, `same: -iface lo, -genvnone, -localhost 127.0.0.1, no binding option, yield shim (LD_PRELOAD msched-mpi-yield.so; Debian's MPICH is ch4:ucx and has no setting) ${oversubscribed(ranks) ? 'on' : 'off'} (${ranks} ranks on ${availableParallelism()} cores)`];
}

interface RunResult {
  wallMs: number;
  launcherMs?: number;
  /** System only, from the launcher task's log: launch -> mpirun/mpiexec started, and its end -> COMPLETED. */
  beforeMpiMs?: number;
  afterMpiMs?: number;
  figures: Record<string, number>;
}

async function runBaseline(p: Program, ranks: number, dir: string, o = { yieldWhenIdle: oversubscribed(ranks) }): Promise<RunResult> {
  const cwd = mkdtempSync(join(dir, `base-${p.name}-${ranks}-`));
  p.prepareBaselineDir(ranks, cwd);
  const { argv, env } = baselineCommand(p.flavour, ranks, p.baselineArgv(ranks), cwd, o);
  const started = process.hrtime.bigint();
  const stdout = await new Promise<string>((ok, fail) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c; });
    child.stderr.on('data', (c: Buffer) => { err += c; });
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? ok(out) : fail(new Error(`${argv.join(' ')} exited with ${code}: ${err.slice(-2000)}`))));
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  writeFileSync(join(cwd, 'stdout'), stdout);
  return { wallMs, figures: readFigures(readFileSync(join(cwd, p.figuresFile), 'utf8'), p.figures, p.requireSuccess) };
}

function experiment(app: string, ranks: number, outputs: OutputDataObjectType[]): ExperimentModel {
  return new ExperimentModel({
    experimentId: `BENCH_${app}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, projectId: 'bench', gatewayId: 'bench-gw',
    experimentType: ExperimentType.SINGLE_APPLICATION, userName: 'bench', experimentName: `bench ${app}`, executionId: app,
    userConfigurationData: new UserConfigurationDataModel({
      airavataAutoSchedule: false, overrideManualScheduledParams: false,
      computationalResourceScheduling: new ComputationalResourceSchedulingModel({
        resourceHostId: 'mesos-local', totalCPUCount: ranks, nodeCount: AGENTS, numberOfThreads: 1, queueName: 'normal', wallTimeLimit: 30,
      }),
    }),
    experimentInputs: [], experimentOutputs: outputs,
  });
}

async function runSystem(h: WholePipeline, p: Program, ranks: number): Promise<RunResult> {
  const app = `${p.name}-${ranks}`;
  const outputs = [new OutputDataObjectType({ name: 'console', type: DataType.STDOUT })];
  if (p.figuresFile !== 'stdout') outputs.push(new OutputDataObjectType({ name: p.figuresFile, type: DataType.URI, value: p.figuresFile }));
  const e = experiment(app, ranks, outputs);
  const started = process.hrtime.bigint();
  const startedAt = Date.now();
  // A connection of its own per launch: the API closes connections idle for long (a baseline run).
  const conn = await connectMetaScheduler({ host: '127.0.0.1', port: h.api.port });
  const ids = await conn.client.launchExperiment(TOKEN, e).finally(() => conn.close().catch(() => undefined));
  let state: string | undefined;
  for (;;) {
    const [r] = await h.ds.query('SELECT state FROM processes WHERE id = $1', [ids.processId]);
    state = r?.state;
    if (state === 'COMPLETED' || state === 'FAILED' || state === 'CANCELED') break;
    if (Number(process.hrtime.bigint() - started) / 1e9 > 900) throw new Error(`${app}: not done after 900 s`);
    // Not faster: on a 2-core machine the bench's own polling would compete with the ranks.
    await new Promise((r2) => setTimeout(r2, 200));
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const dataDir = join(h.dataRoot, 'bench-gw', e.experimentId!);
  const stderr = existsSync(join(dataDir, 'stderr')) ? readFileSync(join(dataDir, 'stderr'), 'utf8') : '';
  if (state !== 'COMPLETED') throw new Error(`${app} ended ${state}: ${stderr.slice(-3000)}`);
  const launcherMs = Number(/launcher ended after (\d+) ms/.exec(stderr)?.[1]);
  const loggedAt = (pattern: RegExp) => {
    const line = stderr.split('\n').find((l) => pattern.test(l));
    const at = line ? Date.parse(/"timestamp":"([^"]+)"/.exec(line)?.[1] ?? '') : NaN;
    return Number.isFinite(at) ? at : undefined;
  };
  const mpiStart = loggedAt(/"message":"starting (openmpi|mpich) with/);
  const mpiEnd = loggedAt(/launcher ended after/);
  return {
    wallMs, launcherMs: Number.isFinite(launcherMs) ? launcherMs : undefined,
    beforeMpiMs: mpiStart && mpiStart - startedAt, afterMpiMs: mpiEnd && startedAt + wallMs - mpiEnd,
    figures: readFigures(readFileSync(join(dataDir, p.figuresFile), 'utf8'), p.figures, p.requireSuccess),
  };
}

const fmt = (x: number | undefined, digits = 3) => (x === undefined || !Number.isFinite(x) ? '-' : Number(x.toPrecision(digits)).toString());

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'msched-bench-mpi-'));
  const progs = programs(dir);
  const cases = progs.flatMap((p) => RANKS.map((ranks) => ({ p, ranks })));
  const applications: Record<string, unknown> = {};
  for (const c of cases) applications[`${c.p.name}-${c.ranks}`] = c.p.catalogue(c.ranks);
  process.stderr.write(`bench:mpi: ${cases.length} case(s) x ${REPS} rep(s), ${AGENTS} agents x ${AGENT_CPUS} cpus on ${availableParallelism()} cores; scratch ${dir}\n`);
  const h = await startWholePipeline('benchmpi', {
    cluster: { agents: AGENTS, cpus: AGENT_CPUS, mem: 8192 },
    applications: () => applications,
    // info: the launcher task logs how long mpirun ran (collected with its stderr).
    env: { MSCHED_LOG_LEVEL: 'info' },
  });
  // Whichever wrapper the launcher uses, from wherever the tasks run it (the runtime's shared copy).
  const sampler = new RankWrapperSampler();
  const results = new Map<string, { system: RunResult[]; baseline: RunResult[]; busyPoll: RunResult[] }>();
  // MPICH's yield comes from our shim, not from MPI: plain mpiexec without it shows what it is worth.
  const withBusyPoll = (c: { p: Program; ranks: number }) => c.p.flavour === 'mpich' && oversubscribed(c.ranks);
  try {
    // Warm-up: first launches pay for connections and page cache on both sides.
    for (const c of cases.slice(0, 1)) { await runSystem(h, c.p, c.ranks); await runBaseline(c.p, c.ranks, dir); }
    for (let rep = 0; rep < REPS; rep++) {
      for (const c of cases) {
        const key = `${c.p.name} ${c.ranks}`;
        const r = results.get(key) ?? { system: [], baseline: [], busyPoll: [] };
        results.set(key, r);
        // Alternate which side goes first so a load change on the shared machine hits both alike.
        const order = rep % 2 === 0 ? ['system', 'baseline'] as const : ['baseline', 'system'] as const;
        for (const side of order) {
          if (side === 'system') {
            sampler.start();
            r.system.push(await runSystem(h, c.p, c.ranks));
            sampler.stop();
          } else r.baseline.push(await runBaseline(c.p, c.ranks, dir));
          process.stderr.write(`  rep ${rep + 1} ${key} ${side}: ${fmt((side === 'system' ? r.system : r.baseline).at(-1)!.wallMs / 1000)} s\n`);
        }
        if (withBusyPoll(c)) {
          r.busyPoll.push(await runBaseline(c.p, c.ranks, dir, { yieldWhenIdle: false }));
          process.stderr.write(`  rep ${rep + 1} ${key} baseline without the yield shim: ${fmt(r.busyPoll.at(-1)!.wallMs / 1000)} s\n`);
        }
      }
    }
  } finally {
    await h.stop();
    await dropRunDatabases().catch(() => undefined);
    await deleteRunTopics().catch(() => undefined);
  }
  const report: unknown[] = [];
  console.log(`\nReal MPI codes: system (Thrift launch -> COMPLETED, local cluster ${AGENTS} agents x ${AGENT_CPUS} cpus) vs plain mpirun, ${availableParallelism()} cores, medians of ${REPS} interleaved runs; 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`);
  console.log('penalty = system/baseline for times and latencies, baseline/system for rates: 1.00 = same, > 1 = system worse\n');
  console.log('| program | MPI | ranks | baseline wall s | system wall s (launch->COMPLETED) | ratio | launcher in system s | ratio | aim wall <= 1.1x+1s |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const c of cases) {
    const r = results.get(`${c.p.name} ${c.ranks}`)!;
    const b = median(r.baseline.map((x) => x.wallMs)) / 1000;
    const s = median(r.system.map((x) => x.wallMs)) / 1000;
    const l = median(r.system.flatMap((x) => (x.launcherMs === undefined ? [] : [x.launcherMs]))) / 1000;
    console.log(`| ${c.p.name} | ${c.p.flavour} | ${c.ranks} | ${fmt(b)} | ${fmt(s)} | ${fmt(s / b)} | ${fmt(l)} | ${fmt(l / b)} | ${s <= 1.1 * b + 1 ? 'met' : 'missed'} (launcher: ${l <= 1.1 * b + 1 ? 'met' : 'missed'}) |`);
  }
  console.log('\n| program | MPI | ranks | figure | baseline | system | penalty | within 10 % |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const c of cases) {
    const r = results.get(`${c.p.name} ${c.ranks}`)!;
    const rows: unknown[] = [];
    for (const f of c.p.figures) {
      const b = median(r.baseline.map((x) => x.figures[f.name]));
      const s = median(r.system.map((x) => x.figures[f.name]));
      const pen = penalty(s, b, f.higherIsBetter);
      rows.push({ figure: f.name, unit: f.unit, baseline: b, system: s, penalty: pen });
      console.log(`| ${c.p.name} | ${c.p.flavour} | ${c.ranks} | ${f.name} (${f.unit}) | ${fmt(b)} | ${fmt(s)} | ${fmt(pen)} | ${pen <= 1.1 ? 'yes' : 'no'} |`);
    }
    report.push({ program: c.p.name, flavour: c.p.flavour, ranks: c.ranks, system: r.system, baseline: r.baseline, baselineWithoutYieldShim: r.busyPoll, figures: rows });
  }
  console.log('\nwhere the system\'s wall time goes (medians, s): launch -> mpirun/mpiexec started | mpirun/mpiexec | its end -> COMPLETED (outputs collected)');
  console.log('| program | MPI | ranks | before MPI | MPI launcher | after MPI | baseline wall |');
  console.log('|---|---|---|---|---|---|---|');
  for (const c of cases) {
    const r = results.get(`${c.p.name} ${c.ranks}`)!;
    const med = (f: (x: RunResult) => number | undefined) => median(r.system.flatMap((x) => { const v = f(x); return v === undefined ? [] : [v]; })) / 1000;
    console.log(`| ${c.p.name} | ${c.p.flavour} | ${c.ranks} | ${fmt(med((x) => x.beforeMpiMs))} | ${fmt(med((x) => x.launcherMs))} | ${fmt(med((x) => x.afterMpiMs))} | ${fmt(median(r.baseline.map((x) => x.wallMs)) / 1000)} |`);
  }
  const busy = cases.filter(withBusyPoll);
  if (busy.length) {
    console.log('\nMPICH without the yield shim (plain mpiexec, ranks busy-poll; reference only, medians):');
    console.log('| program | ranks | wall s: with shim | without | figure | with shim | without |');
    console.log('|---|---|---|---|---|---|---|');
    for (const c of busy) {
      const r = results.get(`${c.p.name} ${c.ranks}`)!;
      for (const f of c.p.figures) {
        console.log(`| ${c.p.name} | ${c.ranks} | ${fmt(median(r.baseline.map((x) => x.wallMs)) / 1000)} | ${fmt(median(r.busyPoll.map((x) => x.wallMs)) / 1000)} | ${f.name} (${f.unit}) | ${fmt(median(r.baseline.map((x) => x.figures[f.name])))} | ${fmt(median(r.busyPoll.map((x) => x.figures[f.name])))} |`);
      }
    }
  }
  const rss = sampler.summary();
  console.log(`\nrank wrapper resident memory (sampled every 100 ms in the system runs): median ${fmt(rss.medianKb / 1024)} MB, max ${fmt(rss.maxKb / 1024)} MB over ${rss.processes} wrapper(s); aim <= 10 MB`);
  console.log('\nbaseline settings that differ from the system\'s:');
  for (const flavour of [...new Set(progs.map((p) => p.flavour))]) {
    for (const ranks of RANKS) console.log(`  ${flavour}, ${ranks} ranks:\n${differences(flavour, ranks).map((d) => `    - ${d}`).join('\n')}`);
  }
  if (args.json) writeFileSync(args.json, JSON.stringify({ cores: availableParallelism(), reps: REPS, loadAverage: loadavg(), cases: report, rankWrapperRss: rss }, null, 2));
  rmSync(dir, { recursive: true, force: true });
}

main().then(() => process.exit(0), (e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
