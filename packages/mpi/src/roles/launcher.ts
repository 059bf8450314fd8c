import { DaemonHost } from '../io/daemon-host';
import { RemoteShellServer } from '../io/remote-shell-server';
import { missingIndices, readRankExits, RendezvousTimeout, waitForMembers } from '../io/rendezvous';
import { onTermination } from '../io/signals';
import { hostOfRank } from '../hostfile';
import type { MemberRecord } from '../records';
import { blamesOnlyTeardown, decideResult, gangFailure, type RunOutcome } from '../result';
import { AbortLatch } from './abort-latch';
import { conclude } from './conclude';
import { daemonEnv, joinGang, presenceGraceMs, resultContext, StdinError, type TaskContext } from './context';
import { PlacementError, prepareLaunch } from './launch-plan';
import { describeMembers, runMpi } from './mpi-run';

/**
 * Members gone from ZooKeeper now, described for the verdict; empty when ZooKeeper cannot tell. It
 * only matters when MPI failed (a clean MPI exit is COMPLETED whoever left), so it is not worth
 * waiting long for, but it does wait through a short outage.
 */
async function missingNow(ctx: TaskContext, members: readonly MemberRecord[]): Promise<string[]> {
  try {
    const children = await ctx.zk.call('check the gang', (zk) => zk.getChildren(ctx.paths.members), presenceGraceMs(ctx));
    return describeMembers(missingIndices(children, ctx.gang.member.count), members);
  } catch (e) {
    ctx.logger.warn(`could not check the gang after MPI ended: ${(e as Error).message}`);
    return [];
  }
}

/**
 * Members gone within `graceMs`: for a verdict that would otherwise blame the application for a
 * teardown (blamesOnlyTeardown). A member that died with its agent keeps its node until its session
 * expires; the healthy ones stay until the launcher's result, so any that goes is the cause.
 */
async function missingWithin(ctx: TaskContext, members: readonly MemberRecord[], graceMs: number, stop: () => boolean): Promise<string[]> {
  const until = Date.now() + graceMs;
  for (;;) {
    const missing = await missingNow(ctx, members);
    // A kill (or the wall time) ends the wait: the task must go when Mesos says so.
    if (missing.length || Date.now() >= until || stop()) return missing;
    await new Promise((r) => setTimeout(r, Math.min(MEMBER_POLL_MS, Math.max(0, until - Date.now()))));
  }
}

const MEMBER_POLL_MS = 500;

/** `seen`, with the members gone once their presence has settled when the verdict would hang on it. */
async function settleMembers(ctx: TaskContext, members: readonly MemberRecord[], seen: RunOutcome, latch: AbortLatch, stop: () => boolean): Promise<RunOutcome> {
  if (!blamesOnlyTeardown(seen)) return seen;
  const graceMs = presenceGraceMs(ctx);
  ctx.logger.warn(`MPI was torn down without a rank failing by itself: waiting up to ${Math.round(graceMs / 1000)} s for ZooKeeper to show whether a task died with its agent`);
  const missingMembers = await missingWithin(ctx, members, graceMs, stop);
  return { ...seen, missingMembers, abort: seen.abort ?? latch.reason };
}

/**
 * Task 0 of an MPI gang: waits for every task, writes the hostfile, runs mpirun/mpiexec with our
 * remote shell in place of ssh, keeps the gang's fate one while MPI runs, and publishes the job's verdict.
 */
export async function runLauncher(ctx: TaskContext): Promise<number> {
  const { gang, zk, logger, paths } = ctx;
  const latch = new AbortLatch();
  let terminated = false;
  const unhook = onTermination((signal) => { terminated = true; latch.trigger({ reason: 'killed', message: `the launcher task received ${signal}` }); });
  const wallTimer = gang.wallTimeSeconds > 0
    ? setTimeout(() => latch.trigger({ reason: 'walltime', message: `the job exceeded its wall time of ${gang.wallTimeSeconds} s` }), gang.wallTimeSeconds * 1000)
    : undefined;
  let shells: RemoteShellServer | undefined;
  // No reaction to a lost ZooKeeper session here: it is replaced (io/gang-zk.ts) and MPI goes on.
  const daemons = new DaemonHost({ zk, paths, index: gang.member.index, env: daemonEnv(ctx), cwd: gang.sandbox, logger });
  const aborted = () => conclude(ctx, decideResult({ abort: latch.reason, rankExits: [], missingMembers: [] }, resultContext(ctx)));
  const fail = (reason: Parameters<typeof gangFailure>[1], message: string) => conclude(ctx, gangFailure(resultContext(ctx), reason, message));
  try {
    await joinGang(ctx);
    daemons.start();
    let members: MemberRecord[];
    try {
      members = await waitForMembers(zk, paths, gang.member.count, gang.rendezvousTimeoutMs, latch.aborted);
    } catch (e) {
      if (latch.reason) return await aborted();
      if (e instanceof RendezvousTimeout) return await fail('rendezvous_timeout', e.message);
      throw e;
    }
    logger.info(`all ${members.length} task(s) registered: ${members.map((m) => `${m.hostname}:${m.slots}`).join(',')}`);
    let launch: ReturnType<typeof prepareLaunch>;
    try {
      launch = prepareLaunch(ctx, members);
    } catch (e) {
      if (e instanceof PlacementError) return await fail('config', e.message);
      throw e;
    }
    for (const o of launch.oversubscribed) {
      const told = gang.flavour === 'openmpi'
        ? 'MPI is told it is oversubscribed (ranks yield while they wait)'
        : launch.mpichYield
          ? 'MPICH has no setting for it: ranks get the yield shim (they yield while they wait)'
          : 'MPICH has no setting for it and the yield shim is not available (not built, or under a path LD_PRELOAD cannot hold): ranks busy-poll and run slower than on enough cores';
      logger.warn(`${o.ranks} ranks on ${o.hostnames.join(', ')}, one machine with ${o.cores} core(s): ${told}`);
    }
    if (launch.remoteShellSocket) {
      shells = new RemoteShellServer({ zk, paths, logger, socketPath: launch.remoteShellSocket, presenceGraceMs: presenceGraceMs(ctx) });
      await shells.listen();
    }
    if (latch.reason) return await aborted();
    let run: Awaited<ReturnType<typeof runMpi>>;
    try {
      run = await runMpi(ctx, launch, members, latch);
    } catch (e) {
      if (e instanceof StdinError) return await fail('cannot_start', e.message);
      throw e;
    }
    const abort = run.mpiAbort;
    // The rank records are persistent nodes: a new session reads them as well as the old one would.
    // ZooKeeper away for longer than the retry bound ends in ZkUnavailable (retriable, gang-task.ts).
    const rankExits = await zk.call('collect the ranks\' exit records', (z) => readRankExits(z, paths));
    const seen: RunOutcome = {
      launcher: run.ended.error ? undefined : run.ended,
      startError: run.ended.error,
      abort: latch.reason,
      rankExits,
      missingMembers: await missingNow(ctx, members),
      mpiAbort: abort && { ...abort, host: abort.rank === undefined ? undefined : hostOfRank(launch.hosts, abort.rank) },
    };
    return await conclude(ctx, decideResult(await settleMembers(ctx, members, seen, latch, () => terminated), resultContext(ctx)));
  } finally {
    unhook();
    if (wallTimer) clearTimeout(wallTimer);
    shells?.close();
    daemons.stop();
  }
}
