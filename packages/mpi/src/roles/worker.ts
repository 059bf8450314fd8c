import { DaemonHost } from '../io/daemon-host';
import { endTagged } from '../io/proc-tag';
import { onTermination } from '../io/signals';
import { watchExists, watchPresence, type Stoppable } from '../io/zk-watch';
import { EXIT } from '../exit-codes';
import type { GangResult } from '../result';
import { daemonEnv, joinGang, presenceGraceMs, removeScratch, type TaskContext } from './context';

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
      const data = await zk.call('read the result', (z) => z.getData(paths.result));
      if (!data) return false;
      finish({ kind: 'result', result: JSON.parse(data.toString()) as GangResult });
      return true;
    };
    const broken = (message: string) => finish({ kind: 'broken', message });
    const timer = setTimeout(() => {
      if (!launcherSeen) broken(`the launcher task did not register within ${gang.rendezvousTimeoutMs} ms`);
    }, gang.rendezvousTimeoutMs);
    const unhook = onTermination((signal) => finish({ kind: 'killed', message: `received ${signal}` }));
    // A lost session is no verdict: it is replaced (io/gang-zk.ts) and this task registers again
    // (joinGang); its MPI processes go on. Mesos, through the dispatcher, ends a gang that really broke.
    watches.push(watchExists(zk, paths.result, (exists) => {
      if (exists) readResult().catch((e: Error) => broken(`cannot read the result: ${e.message}`));
    }, (e) => broken(`watching the result failed: ${e.message}`)));
    // The launcher publishes the result before it leaves; no result after the grace means it died
    // (its node may be missing for a while after an outage that expired its session).
    watches.push(watchPresence(zk, paths.member(0), {
      graceMs: presenceGraceMs(ctx),
      present: () => { launcherSeen = true; },
      gone: () => {
        if (!launcherSeen) return;
        readResult().then((found) => { if (!found) broken('the launcher task left the gang without a result'); })
          .catch((e: Error) => broken(`cannot read the result: ${e.message}`));
      },
      onError: (e) => broken(`watching the launcher failed: ${e.message}`),
    }));
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
      // Leave the gang first so the launcher blames this task, not a symptom of its daemons dying;
      // left/<i> says it is on purpose, so nobody waits for this task to come back.
      await zk.zk.mkdirp(paths.left(gang.member.index)).catch(() => undefined);
      await zk.zk.remove(paths.member(gang.member.index)).catch(() => undefined);
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
