import { signalGroup, startProcess } from '../io/child';
import { endTagged } from '../io/proc-tag';
import { onTermination } from '../io/signals';
import { applicationEnv, SERIAL_RANK } from '../rank-env';
import { decideSerialResult, gangFailure } from '../result';
import { AbortLatch } from './abort-latch';
import { conclude } from './conclude';
import { joinGang, openStdin, resultContext, StdinError, taggedEnv, type TaskContext } from './context';

/**
 * A job with no MPI flavour: the application argv runs directly as rank 0 of 1, with the same
 * environment, output, wall time and verdict as an MPI job, and no mpirun.
 */
export async function runSerial(ctx: TaskContext): Promise<number> {
  const { gang, logger } = ctx;
  const latch = new AbortLatch();
  const unhook = onTermination((signal) => latch.trigger({ reason: 'killed', message: `the task received ${signal}` }));
  const wallTimer = gang.wallTimeSeconds > 0
    ? setTimeout(() => latch.trigger({ reason: 'walltime', message: `the job exceeded its wall time of ${gang.wallTimeSeconds} s` }), gang.wallTimeSeconds * 1000)
    : undefined;
  try {
    await joinGang(ctx);
    let stdin: ReturnType<typeof openStdin>;
    try {
      stdin = openStdin(ctx);
    } catch (e) {
      if (e instanceof StdinError) return await conclude(ctx, gangFailure(resultContext(ctx), 'cannot_start', e.message));
      throw e;
    }
    logger.info('starting the serial program', { argv: gang.app.argv });
    const started = startProcess(gang.app.argv, {
      env: applicationEnv(taggedEnv(ctx), gang, SERIAL_RANK),
      cwd: gang.sandbox,
      stdio: [stdin.fd, 'inherit', 'inherit'],
      detached: true,
    });
    stdin.close();
    const stopping = latch.aborted.then(async (a) => {
      logger.warn(`stopping the program: ${a.message}`);
      signalGroup(started.child, 'SIGTERM');
      await Promise.race([started.ended, new Promise((r) => setTimeout(r, gang.killGraceMs).unref())]);
      await endTagged(ctx.tag, 0);
    });
    const ended = await started.ended;
    if (latch.reason) await stopping;
    return await conclude(ctx, decideSerialResult({
      launcher: ended.error ? undefined : ended,
      startError: ended.error,
      abort: latch.reason,
      hostname: gang.member.hostname,
    }, resultContext(ctx)));
  } finally {
    unhook();
    if (wallTimer) clearTimeout(wallTimer);
  }
}
