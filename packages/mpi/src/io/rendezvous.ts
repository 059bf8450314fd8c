import type { Zk } from '@msched/zk';
import { gangPaths, rendezvousPath, type GangPaths } from '../rendezvous-layout';
import type { GangResult } from '../result';
import { parseMemberRecord, parseRankExit, type MemberRecord, type RankExit } from '../records';
import type { GangZk } from './gang-zk';
import { watchChildren } from './zk-watch';

export class RendezvousTimeout extends Error {
  constructor(readonly missing: readonly number[], readonly count: number, timeoutMs: number) {
    super(`rendezvous timed out after ${timeoutMs} ms: task(s) ${missing.join(', ')} of ${count} did not register`);
    this.name = 'RendezvousTimeout';
  }
}

/** The folders every task needs, created idempotently by whichever task comes first. */
export async function prepareRendezvous(zk: Zk, paths: GangPaths, index: number): Promise<void> {
  await zk.mkdirp(paths.members);
  await zk.mkdirp(paths.exits);
  await zk.mkdirp(paths.daemons(index));
}

/**
 * Announces this task: ephemeral, so it vanishes when the task (or its ZooKeeper session) dies.
 * Safe to repeat, and repeated with each new session: a node left by this task's previous session
 * (still alive on the server, or created by a request whose answer was lost) is replaced, so the
 * node belongs to the session that lives on.
 */
export async function registerMember(zk: Zk, paths: GangPaths, record: MemberRecord): Promise<void> {
  await zk.remove(paths.member(record.index));
  await zk.create(paths.member(record.index), JSON.stringify(record), 'ephemeral');
}

export function missingIndices(children: readonly string[], count: number): number[] {
  const present = new Set(children);
  return Array.from({ length: count }, (_, i) => i).filter((i) => !present.has(String(i)));
}

export async function readMembers(zk: Zk, paths: GangPaths): Promise<MemberRecord[]> {
  const children = await zk.getChildren(paths.members);
  const records: MemberRecord[] = [];
  for (const c of children) {
    const data = await zk.getData(`${paths.members}/${c}`);
    if (data) records.push(parseMemberRecord(data));
  }
  return records.sort((a, b) => a.index - b.index);
}

/**
 * Waits until tasks 0..count-1 have all registered, or fails naming the missing ones. `cancelled`
 * ends the wait early (the task was killed meanwhile).
 */
export function waitForMembers(gz: GangZk, paths: GangPaths, count: number, timeoutMs: number, cancelled: Promise<unknown>): Promise<MemberRecord[]> {
  return new Promise((resolve, reject) => {
    let last: string[] = [];
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      watch.stop();
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(new RendezvousTimeout(missingIndices(last, count), count, timeoutMs))), timeoutMs);
    const watch = watchChildren(gz, paths.members, (children) => {
      last = children;
      if (missingIndices(children, count).length === 0) {
        finish(() => gz.call('read the members', (zk) => readMembers(zk, paths)).then((m) => resolve(m.filter((r) => r.index < count)), reject));
      }
    }, (e) => finish(() => reject(e)));
    cancelled.then(() => finish(() => reject(new Error('cancelled'))), () => undefined);
  });
}

export async function readRankExits(zk: Zk, paths: GangPaths): Promise<RankExit[]> {
  const out: RankExit[] = [];
  for (const c of await zk.getChildren(paths.exits)) {
    const data = await zk.getData(`${paths.exits}/${c}`);
    if (data) out.push(parseRankExit(data));
  }
  return out;
}

/** The verdict of one attempt, or undefined while the job has none yet (for the dispatcher). */
export async function readGangResult(zk: Zk, rendezvous: string): Promise<GangResult | undefined> {
  const data = await zk.getData(gangPaths(rendezvous).result);
  return data ? (JSON.parse(data.toString()) as GangResult) : undefined;
}

/** Removes every attempt's rendezvous of a job, once the dispatcher has recorded the outcome. */
export async function removeJobRendezvous(zk: Zk, zkRoot: string, jobId: string): Promise<void> {
  await zk.removeRecursive(rendezvousPath(zkRoot, jobId, 1).replace(/\/1$/, ''));
}
