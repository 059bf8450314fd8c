import { DaemonHost } from '../io/daemon-host';
import { endTagged } from '../io/proc-tag';
import { onTermination } from '../io/signals';
import { watchExists, type Stoppable } from '../io/zk-watch';
import { EXIT } from '../exit-codes';
import type { GangResult } from '../result';
import { daemonEnv, joinGang, removeScratch, type TaskContext } from './context';

type Verdict =
  | { kind: 'result'; result: GangResult }
  | { kind: 'killed'; message: string }
  | { kind: 'broken'; message: string };

/**
 * Waits for the end of the job as the launcher decides it (the result node), or for the launcher to
 * vanish without one, or for this task to be killed.
 */
function awaitVerdict(ctx: TaskContext): Promise<Verdict> {
  const { zk, paths, gang } = ctx;
  return new Promise((resolve) => {
    const watches: Stoppable[] = [];
    let launcherSeen = false;
    let done = false;
    const finish = (v: Verdict) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unhook();
      watches.forEach((w) => w.stop());
      resolve(v);
    };
    const readResult = async (): Promise<boolean> => {
      const data = await zk.getData(paths.result);
      if (!data) return false;
      finish({ kind: 'result', result: JSON.parse(data.toString()) as GangResult });
      return true;
    };
    const broken = (message: string) => finish({ kind: 'broken', message });
    const timer = setTimeout(() => {
      if (!launcherSeen) broken(`the launcher task did not register within ${gang.rendezvousTimeoutMs} ms`);
    }, gang.rendezvousTimeoutMs);
    const unhook = onTermination((signal) => finish({ kind: 'killed', message: `received ${signal}` }));
    zk.onSessionExpired(() => broken('lost the ZooKeeper session'));
    watches.push(watchExists(zk, paths.result, (exists) => {
      if (exists) readResult().catch((e: Error) => broken(`cannot read the result: ${e.message}`));
    }, (e) => broken(`watching the result failed: ${e.message}`)));
    watches.push(watchExists(zk, paths.member(0), (exists) => {
      if (exists) {
        launcherSeen = true;
        return;
      }
      // The launcher publishes the result before it leaves; no result means it died.
      if (launcherSeen) {
        readResult().then((found) => { if (!found) broken('the launcher task left the gang without a result'); })
          .catch((e: Error) => broken(`cannot read the result: ${e.message}`));
      }
    }, (e) => broken(`watching the launcher failed: ${e.message}`)));
  });
}

/**
 * Task 1..n-1 of an MPI gang: registers, runs the MPI daemons sent to it through the remote shell, and shares the job's
 * fate: ends with the launcher's verdict, or ends everything it started when the gang breaks.
 */
export async function runWorker(ctx: TaskContext): Promise<number> {
  const { gang, zk, logger, paths } = ctx;
  const daemons = new DaemonHost({ zk, paths, index: gang.member.index, env: daemonEnv(ctx), cwd: gang.sandbox, logger });
  try {
    await joinGang(ctx);
    daemons.start();
    const verdict = await awaitVerdict(ctx);
    if (verdict.kind === 'killed') {
      // Leave the gang first so the launcher blames this task, not a symptom of its daemons dying.
      await zk.remove(paths.member(gang.member.index)).catch(() => undefined);
      logger.warn(`task killed (${verdict.message}): ending its MPI processes`);
      daemons.stop();
      await endTagged(ctx.tag, gang.killGraceMs);
      return EXIT.killed;
    }
    if (verdict.kind === 'broken') {
      logger.error(`the gang broke: ${verdict.message}; ending this task's MPI processes`);
      daemons.stop();
      await endTagged(ctx.tag, gang.killGraceMs);
      return EXIT.gangBroken;
    }
    const { result } = verdict;
    // After a clean finish the daemons exit by themselves; give them the grace to do so.
    if (result.state === 'COMPLETED') await daemons.drain(gang.killGraceMs);
    daemons.stop();
    const ended = await endTagged(ctx.tag, gang.killGraceMs);
    if (ended > 0) logger.info(`ended ${ended} leftover process(es) of this task`);
    logger.info(`job ended ${result.state} (exit code ${result.exitCode}): ${result.message}`);
    return result.exitCode;
  } finally {
    daemons.stop();
    removeScratch(ctx);
  }
}
