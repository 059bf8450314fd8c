/**
 * What mpirun starts as every rank: `node rank-wrapper.js <application argv...>`. Runs the
 * application with the job's environment in its agent's sandbox, passes signals on, and when the
 * rank fails records which rank it was and how it ended in ZooKeeper (`exits/<rank>`), so the
 * launcher can name the failed rank whatever the MPI flavour. Then ends the way the rank ended.
 */
import type { StdioOptions } from 'node:child_process';
import { parseGangTaskEnv, type GangTaskEnv } from './env-contract';
import { startProcess, type Ended } from './io/child';
import { applicationEnv, rankIdentityOf, type RankIdentity } from './rank-env';
import { gangPaths } from './rendezvous-layout';
import type { RankExit } from './records';

const FORWARDED: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGCONT'];
/** The shell's code for "command not found / not executable". */
const CANNOT_EXECUTE = 127;

function say(message: string): void {
  process.stderr.write(`msched-rank-wrapper: ${message}\n`);
}

/** MPICH's simple PMI talks over an inherited descriptor named by PMI_FD: keep it at the same number. */
export function stdioFor(env: NodeJS.ProcessEnv): StdioOptions {
  const stdio: Array<'inherit' | 'ignore' | number> = ['inherit', 'inherit', 'inherit'];
  const fd = env.PMI_FD !== undefined && /^\d+$/.test(env.PMI_FD) ? Number(env.PMI_FD) : undefined;
  if (fd !== undefined && fd > 2) {
    while (stdio.length < fd) stdio.push('ignore');
    stdio[fd] = fd;
  }
  return stdio;
}

export async function recordExit(gang: GangTaskEnv, exit: RankExit): Promise<void> {
  // Loaded only when a rank fails: the ZooKeeper client is a fifth of the resident memory of every
  // wrapper of a run that never needs it (measured: 49 MB with it loaded, 39 MB without).
  const [{ GangZk }, { putNode }] = await Promise.all([import('./io/gang-zk'), import('./io/zk-watch')]);
  // Patiently: the record decides the job's exit code, so a ZooKeeper outage must not lose it.
  const zk = await GangZk.openPatiently({ connect: gang.zk.connect, sessionTimeoutMs: gang.zk.sessionTimeoutMs, retryMs: gang.zk.retryMs });
  try {
    await zk.call(`record the exit of rank ${exit.rank}`, (z) => putNode(z, gangPaths(gang.rendezvousPath).exit(exit.rank), JSON.stringify(exit)));
  } finally {
    zk.close();
  }
}

async function runRank(gang: GangTaskEnv, id: RankIdentity, argv: readonly string[]): Promise<Ended> {
  const started = startProcess(argv, { env: applicationEnv(process.env, gang, id), cwd: gang.sandbox, stdio: stdioFor(process.env), detached: false });
  const forward = FORWARDED.map((s) => {
    const l = () => { started.child.kill(s); };
    process.on(s, l);
    return [s, l] as const;
  });
  const ended = await started.ended;
  forward.forEach(([s, l]) => process.off(s, l));
  return ended;
}

export async function rankWrapperMain(argv: readonly string[]): Promise<number> {
  if (argv.length === 0) {
    say('usage: rank-wrapper <program> [args...]');
    return CANNOT_EXECUTE;
  }
  const gang = parseGangTaskEnv(process.env);
  const id = rankIdentityOf(process.env);
  if (!id) throw new Error('no rank in the environment (OMPI_COMM_WORLD_RANK or PMI_RANK): not started by mpirun/mpiexec?');
  const ended = await runRank(gang, id, argv);
  if (ended.error) say(ended.error);
  if (ended.code !== 0) {
    await recordExit(gang, { rank: id.rank, code: ended.code, signal: ended.signal, hostname: gang.member.hostname, atMs: Date.now(), error: ended.error })
      .catch((e: Error) => say(`could not record the exit of rank ${id.rank}: ${e.message}`));
  }
  if (ended.signal) {
    // End the way the rank did, so the MPI daemon reports the same signal.
    process.kill(process.pid, ended.signal as NodeJS.Signals);
  }
  return ended.error ? CANNOT_EXECUTE : ended.code ?? 1;
}

if (require.main === module) {
  rankWrapperMain(process.argv.slice(2)).then((code) => process.exit(code), (e: Error) => {
    say(e.message);
    process.exit(CANNOT_EXECUTE);
  });
}
