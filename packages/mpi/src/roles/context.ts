import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@msched/logging';
import type { Zk } from '@msched/zk';
import { TAG_VARIABLE, type GangTaskEnv } from '../env-contract';
import { gangPaths, type GangPaths } from '../rendezvous-layout';
import { prepareRendezvous, registerMember } from '../io/rendezvous';
import { createScratch, removeScratch as removeScratchDir, sweepOrphanedScratch } from '../io/scratch';
import type { ResultContext } from '../result';
import { thisMachine } from '../io/machine';
import { writeRankSpec } from '../io/rank-spec-file';
import { RANK_SPEC_VARIABLE } from '../rank-spec';

/** What every role of the gang task works with. */
export interface TaskContext {
  readonly gang: GangTaskEnv;
  readonly zk: Zk;
  readonly logger: Logger;
  readonly paths: GangPaths;
  /** Marks every process this task starts (see io/proc-tag.ts). */
  readonly tag: string;
  readonly startedAt: number;
}

export function createContext(gang: GangTaskEnv, zk: Zk, logger: Logger): TaskContext {
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

/** Creates the rendezvous folders and announces this task. */
export async function joinGang(ctx: TaskContext): Promise<void> {
  const { gang } = ctx;
  await prepareRendezvous(ctx.zk, ctx.paths, gang.member.index);
  await registerMember(ctx.zk, ctx.paths, {
    index: gang.member.index,
    hostname: gang.member.hostname,
    agentId: gang.member.agentId,
    taskId: gang.member.taskId,
    slots: gang.member.slots,
    port: gang.member.port,
    pid: process.pid,
    ...thisMachine(),
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
