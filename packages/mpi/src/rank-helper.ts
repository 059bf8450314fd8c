/**
 * The node half of the native rank wrapper (native/rank-exec.c): short runs that compute what the
 * resident C half cannot, so no node process stays next to a rank.
 *
 *   rank-helper prepare                          prints the rank's working directory and environment
 *                                                (NUL-terminated: dir, then NAME=value entries); only
 *                                                used when the task left no rank spec (rank-spec.ts)
 *   rank-helper record-exit <code> <signal> <error>   records a failed rank in ZooKeeper (exits/<rank>)
 *
 * Both read the gang task's environment as the MPI daemon passed it on, as rank-wrapper.ts does.
 */
import { parseGangTaskEnv } from './env-contract';
import { applicationEnv, rankIdentityOf } from './rank-env';
import { recordExit } from './rank-wrapper';
import { renderRankSpec } from './rank-spec';

function say(message: string): void {
  process.stderr.write(`msched-rank-helper: ${message}\n`);
}

function identity() {
  const id = rankIdentityOf(process.env);
  if (!id) throw new Error('no rank in the environment (OMPI_COMM_WORLD_RANK or PMI_RANK): not started by mpirun/mpiexec?');
  return id;
}

export async function rankHelperMain(argv: readonly string[]): Promise<number> {
  const gang = parseGangTaskEnv(process.env);
  const id = identity();
  if (argv[0] === 'prepare' && argv.length === 1) {
    process.stdout.write(renderRankSpec(gang.sandbox, applicationEnv(process.env, gang, id)));
    return 0;
  }
  if (argv[0] === 'record-exit' && argv.length === 4) {
    const [, code, signal, error] = argv;
    await recordExit(gang, {
      rank: id.rank, code: error || !/^\d+$/.test(code) ? null : Number(code), signal: signal || null,
      hostname: gang.member.hostname, atMs: Date.now(), error: error || undefined,
    });
    return 0;
  }
  say('usage: rank-helper prepare | record-exit <code> <signal> <error>');
  return 2;
}

if (require.main === module) {
  rankHelperMain(process.argv.slice(2)).then((code) => process.exit(code), (e: Error) => {
    say(e.message);
    process.exit(1);
  });
}
