import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@msched/logging';
import { TAG_VARIABLE, type GangTaskEnv } from '../env-contract';
import { gangPaths, type GangPaths } from '../rendezvous-layout';
import type { GangZk } from '../io/gang-zk';
import { prepareRendezvous, registerMember } from '../io/rendezvous';
import { createScratch, removeScratch as removeScratchDir, sweepOrphanedScratch } from '../io/scratch';
import type { ResultContext } from '../result';
import { thisMachine } from '../io/machine';
import { writeRankSpec } from '../io/rank-spec-file';
import { RANK_SPEC_VARIABLE } from '../rank-spec';

/** What every role of the gang task works with. */
export interface TaskContext {
  readonly gang: GangTaskEnv;
  /** Survives lost sessions; every read and write goes through its call() (io/gang-zk.ts). */
  readonly zk: GangZk;
  readonly logger: Logger;
  readonly paths: GangPaths;
  /** Marks every process this task starts (see io/proc-tag.ts). */
  readonly tag: string;
  readonly startedAt: number;
}

export function createContext(gang: GangTaskEnv, zk: GangZk, logger: Logger): TaskContext {
  return { gang, zk, logger, paths: gangPaths(gang.rendezvousPath), tag: `${gang.rendezvousPath}/${gang.member.index}`, startedAt: Date.now() };
}

/** This task's own environment plus its tag: the base of every process it starts. */
export function taggedEnv(ctx: TaskContext, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra, [TAG_VARIABLE]: ctx.tag };
}

/**
 * The environment of the MPI daemons this task runs for the launcher. Their session directories go
 * to a short per-task scratch folder: on one machine (the local cluster) two orteds of one job
 * otherwise race creating the same /tmp/ompi.<host>.<uid>/... tree (measured: "mkdir ... File
 * exists", the daemon dies); short, because PMIx puts Unix sockets there and a Mesos sandbox path
 * is too long for a socket name. Ranks find the task's rank spec by RANK_SPEC_VARIABLE.
 */
export function daemonEnv(ctx: TaskContext): NodeJS.ProcessEnv {
  sweepOrphanedScratch();
  return taggedEnv(ctx, { OMPI_MCA_orte_tmpdir_base: createScratch(ctx.tag), [RANK_SPEC_VARIABLE]: writeRankSpec(ctx.gang) });
}

/** Called once nothing of the task runs any more. */
export function removeScratch(ctx: TaskContext): void {
  removeScratchDir(ctx.tag);
}

export function resultContext(ctx: TaskContext): ResultContext {
  return { ranks: ctx.gang.ranks, jobId: ctx.gang.job.jobId, attempt: ctx.gang.job.attempt, durationMs: Date.now() - ctx.startedAt };
}

/**
 * How long a member's node may be missing before the others take the member as gone: a ZooKeeper
 * outage can expire the session of a healthy task, whose node then comes back once the task opened a
 * new session (expiry seen after one session timeout, then reconnection and registration).
 */
export function presenceGraceMs(ctx: TaskContext): number {
  return 2 * ctx.gang.zk.sessionTimeoutMs;
}

/** Creates the rendezvous folders and announces this task, again with every new session. */
export async function joinGang(ctx: TaskContext): Promise<void> {
  const { gang } = ctx;
  await ctx.zk.call('prepare the rendezvous', (zk) => prepareRendezvous(zk, ctx.paths, gang.member.index));
  const record = {
    index: gang.member.index,
    hostname: gang.member.hostname,
    agentId: gang.member.agentId,
    taskId: gang.member.taskId,
    slots: gang.member.slots,
    port: gang.member.port,
    pid: process.pid,
    ...thisMachine(),
  };
  const register = () => ctx.zk.call('register this task', (zk) => registerMember(zk, ctx.paths, record));
  await register();
  // The session's ephemeral node went with it: this task is alive, so it says so again.
  ctx.zk.onNewSession(async () => {
    await register();
    ctx.logger.info(`registered task ${gang.member.index} again with the new ZooKeeper session`);
  });
  ctx.logger.info(`joined the gang as task ${gang.member.index} of ${gang.member.count} on ${gang.member.hostname}`);
}

export class StdinError extends Error {}

/** The application's standard input: the configured sandbox file, or nothing. */
export function openStdin(ctx: TaskContext): { fd: number | 'ignore'; close(): void } {
  if (!ctx.gang.app.stdin) return { fd: 'ignore', close: () => undefined };
  let fd: number;
  try {
    fd = openSync(join(ctx.gang.sandbox, ctx.gang.app.stdin), 'r');
  } catch (e) {
    throw new StdinError(`cannot open standard input: ${(e as Error).message}`);
  }
  return { fd, close: () => closeSync(fd) };
}
