import { readdirSync, readFileSync } from 'node:fs';
import { TAG_VARIABLE } from '../env-contract';

/**
 * Finds and ends every process carrying a task's tag in its environment. MPI daemons give each rank
 * a process group of its own, and a rank outlives a wrapper killed with SIGKILL, so neither process
 * groups nor the parent/child tree reach everything; the inherited environment does.
 * Linux only (reads /proc), like Mesos agents.
 */
export function taggedPids(tag: string): number[] {
  const needle = Buffer.from(`${TAG_VARIABLE}=${tag}\0`);
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${name}/environ`);
    } catch {
      continue; // gone meanwhile, or another user's
    }
    // Match a whole entry: tag ".../1" must not match ".../10".
    const at = environ.indexOf(needle);
    if (at === 0 || (at > 0 && environ[at - 1] === 0)) pids.push(pid);
  }
  return pids;
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Live (not zombie) tagged processes: a zombie needs its parent to reap it, not another signal. */
function liveTagged(tag: string): number[] {
  return taggedPids(tag).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  });
}

/**
 * SIGTERM to every tagged process, SIGKILL to whatever is left after graceMs, until none is left
 * (processes forked meanwhile are caught by the next scan). Resolves with how many were signalled.
 */
export async function endTagged(tag: string, graceMs: number): Promise<number> {
  let pids = liveTagged(tag);
  const signalled = new Set(pids);
  if (pids.length === 0) return 0;
  signalAll(pids, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(50);
    pids = liveTagged(tag);
    if (pids.length === 0) return signalled.size;
    for (const p of pids) if (!signalled.has(p)) { signalled.add(p); signalAll([p], 'SIGTERM'); }
  }
  for (let round = 0; round < 100; round++) {
    pids = liveTagged(tag);
    if (pids.length === 0) break;
    pids.forEach((p) => signalled.add(p));
    signalAll(pids, 'SIGKILL');
    await sleep(20);
  }
  return signalled.size;
}
