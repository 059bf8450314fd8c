/**
 * The program every Mesos task of a gang runs: `node gang-task.js`, configured only by the
 * environment (env-contract.ts). Task 0 launches MPI, the others host its daemons; a serial job is
 * task 0 alone running the program. Its stdout is the job's stdout; its logs go to stderr.
 */
import { createLogger, forJob } from '@msched/logging';
import { EXIT } from './exit-codes';
import { GANG_ENV, GangEnvError, parseGangTaskEnv, type GangTaskEnv } from './env-contract';
import { GangZk, ZkUnavailable } from './io/gang-zk';
import { endTagged } from './io/proc-tag';
import { publishResult } from './io/result-sink';
import { formatResultLine, gangFailure } from './result';
import { createContext, removeScratch, resultContext, type TaskContext } from './roles/context';
import { runLauncher } from './roles/launcher';
import { runSerial } from './roles/serial';
import { runWorker } from './roles/worker';
import { prepareSharedRuntime } from './runtime/task-programs';

function roleOf(gang: GangTaskEnv): (ctx: TaskContext) => Promise<number> {
  if (gang.flavour === 'none') return runSerial;
  return gang.isLauncher ? runLauncher : runWorker;
}

export async function gangTaskMain(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const started = Date.now();
  let gang: GangTaskEnv;
  try {
    gang = parseGangTaskEnv(env);
  } catch (e) {
    if (!(e instanceof GangEnvError)) throw e;
    createLogger({ service: 'mpi-gang-task' }).error(e.message);
    const attempt = Number(env[GANG_ENV.attempt]) || 0;
    const ctx = { ranks: Number(env[GANG_ENV.ranks]) || 0, jobId: env[GANG_ENV.jobId] ?? '', attempt, durationMs: Date.now() - started };
    process.stderr.write(`${formatResultLine(gangFailure(ctx, 'config', e.message))}\n`);
    return EXIT.config;
  }
  const logger = forJob(createLogger({ service: 'mpi-gang-task', level: gang.logLevel }), {
    experimentId: gang.job.experimentId, processId: gang.job.processId, jobId: gang.job.jobId, taskId: gang.member.taskId, attempt: gang.job.attempt,
  });
  // Ranks on this agent start from the runtime's shared copy: it must exist before this task joins.
  if (gang.flavour !== 'none') {
    try {
      prepareSharedRuntime();
    } catch (e) {
      const message = `cannot put the runtime where this agent's ranks start it: ${(e as Error).message}`;
      logger.error(message);
      if (gang.isLauncher) {
        const ctx = { ranks: gang.ranks, jobId: gang.job.jobId, attempt: gang.job.attempt, durationMs: Date.now() - started };
        await publishResult(gangFailure(ctx, 'internal', message), { sandbox: gang.sandbox, logger });
      }
      return EXIT.internal;
    }
  }
  let zk: GangZk;
  try {
    zk = await GangZk.open({ connect: gang.zk.connect, sessionTimeoutMs: gang.zk.sessionTimeoutMs, retryMs: gang.zk.retryMs, logger }, Math.min(gang.rendezvousTimeoutMs, 15000));
  } catch (e) {
    const message = `cannot reach ZooKeeper for the rendezvous: ${(e as Error).message}`;
    logger.error(message);
    if (gang.isLauncher) {
      const ctx = { ranks: gang.ranks, jobId: gang.job.jobId, attempt: gang.job.attempt, durationMs: Date.now() - started };
      await publishResult(gangFailure(ctx, 'rendezvous_timeout', message), { sandbox: gang.sandbox, logger });
    }
    return EXIT.gangBroken;
  }
  const ctx = createContext(gang, zk, logger);
  try {
    return await roleOf(gang)(ctx);
  } catch (e) {
    // ZooKeeper away for longer than the retry bound is the infrastructure's failure, not a bug of
    // this program: the job may succeed on a new attempt.
    const unavailable = e instanceof ZkUnavailable;
    logger.error(`gang task failed: ${unavailable ? (e as Error).message : (e as Error).stack ?? String(e)}`);
    await endTagged(ctx.tag, gang.killGraceMs);
    removeScratch(ctx);
    const reason = unavailable ? 'zookeeper_unavailable' : 'internal';
    if (gang.isLauncher) await publishResult(gangFailure(resultContext(ctx), reason, (e as Error).message), { zk: unavailable ? undefined : zk, resultPath: ctx.paths.result, sandbox: gang.sandbox, logger });
    return unavailable ? EXIT.gangBroken : EXIT.internal;
  } finally {
    zk.close();
  }
}

if (require.main === module) {
  gangTaskMain().then((code) => process.exit(code), (e: Error) => {
    process.stderr.write(`gang task crashed: ${e.stack ?? e.message}\n`);
    process.exit(EXIT.internal);
  });
}
