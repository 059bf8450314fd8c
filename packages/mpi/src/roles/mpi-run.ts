import { AbortScanner, type MpiAbort } from '../abort-scanner';
import { signalGroup, startProcess, type Ended, type Started } from '../io/child';
import { endTagged } from '../io/proc-tag';
import { missingIndices } from '../io/rendezvous';
import { watchChildren, type Stoppable } from '../io/zk-watch';
import type { MemberRecord } from '../records';
import type { AbortLatch } from './abort-latch';
import { openStdin, presenceGraceMs, taggedEnv, type TaskContext } from './context';
import type { PreparedLaunch } from './launch-plan';

export function describeMembers(indices: readonly number[], members: readonly MemberRecord[]): string[] {
  return indices.map((i) => {
    const m = members.find((r) => r.index === i);
    return m ? `task ${i} (${m.hostname}, ${m.taskId})` : `task ${i}`;
  });
}

/** Stops MPI for an abort: mpirun first (it tears its daemons down), everything tagged after the grace. */
async function stopMpi(ctx: TaskContext, started: Started): Promise<void> {
  signalGroup(started.child, 'SIGTERM');
  const timeout = new Promise((r) => setTimeout(r, ctx.gang.killGraceMs).unref());
  if ((await Promise.race([started.ended.then(() => 'ended'), timeout])) !== 'ended') {
    ctx.logger.warn(`the MPI launcher did not stop within ${ctx.gang.killGraceMs} ms: killing`);
    await endTagged(ctx.tag, 0);
  }
}

/** Passes MPI's stderr on unchanged while looking for an MPI_Abort report in it. */
function passStderr(started: Started, aborts: AbortScanner): Promise<void> {
  return new Promise((resolve) => {
    const err = started.child.stderr;
    if (!err) return resolve();
    err.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      aborts.feed(chunk);
    });
    err.once('close', () => resolve());
  });
}

export interface MpiRun {
  readonly ended: Ended;
  readonly mpiAbort?: MpiAbort;
}

/**
 * Stops MPI when a member leaves the gang. A member that left on purpose (killed: it wrote left/<i>)
 * counts at once; a member whose node is merely missing counts only if it stays missing for the
 * grace: a ZooKeeper outage expires healthy tasks' sessions too, and they register again. A
 * ZooKeeper that stays away is no reason to stop MPI either: the gang's one fate comes from Mesos
 * (the dispatcher kills every task of a gang when one fails or is lost), ZooKeeper only speeds it up.
 */
function watchMembers(ctx: TaskContext, members: readonly MemberRecord[], latch: AbortLatch): Stoppable {
  const { gang, zk, logger, paths } = ctx;
  const graceMs = presenceGraceMs(ctx);
  let timer: NodeJS.Timeout | undefined;
  const lost = (missing: number[], how: string) => latch.trigger({ reason: 'member_lost', message: `${describeMembers(missing, members).join(', ')} ${how}` });
  const confirm = () => {
    timer = undefined;
    zk.call('check the gang', (z) => z.getChildren(paths.members)).then((children) => {
      const missing = missingIndices(children, gang.member.count);
      if (missing.length) lost(missing, `left the gang while the job ran (missing from ZooKeeper for ${graceMs} ms)`);
    }, (e: Error) => logger.warn(`could not check the gang: ${e.message}; MPI goes on`));
  };
  const watch = watchChildren(zk, paths.members, (children) => {
    const missing = missingIndices(children, gang.member.count);
    if (!missing.length) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      return;
    }
    zk.zk.getChildren(paths.lefts).then((left) => {
      const killed = missing.filter((i) => left.includes(String(i)));
      if (killed.length) lost(killed, 'left the gang while the job ran');
    }, () => undefined);
    if (!timer) {
      logger.warn(`${describeMembers(missing, members).join(', ')} missing from ZooKeeper: waiting up to ${graceMs} ms for it to register again`);
      timer = setTimeout(confirm, graceMs);
    }
  }, (e) => logger.warn(`lost sight of the gang in ZooKeeper: ${e.message}; MPI goes on`));
  return { stop: () => { if (timer) clearTimeout(timer); watch.stop(); } };
}

/**
 * Runs mpirun/mpiexec to its end while keeping the gang's fate one: a rank's recorded failure or a
 * member leaving stops MPI at once, as does any other reason put into the latch (kill, wall time).
 */
export async function runMpi(ctx: TaskContext, launch: PreparedLaunch, members: readonly MemberRecord[], latch: AbortLatch): Promise<MpiRun> {
  const { gang, zk, logger, paths } = ctx;
  const rankWatch = watchChildren(zk, paths.exits, (children) => {
    if (children.length) latch.trigger({ reason: 'rank_failed', message: `rank ${children.sort((a, b) => Number(a) - Number(b))[0]} ended abnormally` });
  }, (e) => logger.warn(`watching rank exits failed: ${e.message}`));
  const memberWatch = watchMembers(ctx, members, latch);
  try {
    const stdin = openStdin(ctx);
    logger.info(`starting ${gang.flavour} with ${gang.ranks} rank(s)`, { argv: launch.argv });
    const started = startProcess(launch.argv, { env: taggedEnv(ctx, launch.env), cwd: gang.sandbox, stdio: [stdin.fd, 'inherit', 'pipe'], detached: true });
    stdin.close();
    const aborts = new AbortScanner();
    const stderrDone = passStderr(started, aborts);
    const stopping = latch.aborted.then((a) => {
      logger.warn(`stopping the job: ${a.message}`);
      return stopMpi(ctx, started);
    });
    const startedAt = Date.now();
    const ended = await started.ended;
    // The launcher's own time, apart from scheduling and staging: what to compare with plain mpirun.
    logger.info(`${gang.flavour} launcher ended after ${Date.now() - startedAt} ms`, { code: ended.code, signal: ended.signal });
    rankWatch.stop();
    memberWatch.stop();
    if (latch.reason) await stopping;
    // MPI's last words may still be in the pipe; a leftover holding it open must not hold us up.
    await Promise.race([stderrDone, new Promise((r) => setTimeout(r, 1000).unref())]);
    return { ended, mpiAbort: aborts.abort };
  } finally {
    rankWatch.stop();
    memberWatch.stop();
  }
}
