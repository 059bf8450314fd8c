import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Short per-task scratch folders in the agent's temp dir, each marked with its owner process so that
 * folders of tasks killed without warning (SIGKILL: no chance to remove their own) are removed by the
 * next task on that agent.
 */
const NAME = /^msched-[0-9a-f]{16}$/;
const OWNER = '.owner';

/** Identifies a process across pid reuse: its pid and its start time (/proc/<pid>/stat field 22). */
function processIdentity(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return `${pid} ${fields[19]}`;
  } catch {
    return undefined;
  }
}

export function scratchPath(key: string): string {
  return join(tmpdir(), `msched-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`);
}

export function createScratch(key: string): string {
  const dir = scratchPath(key);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, OWNER), processIdentity(process.pid) ?? String(process.pid));
  return dir;
}

export function removeScratch(key: string): void {
  rmSync(scratchPath(key), { recursive: true, force: true });
}

/** Removes scratch folders whose owner process is gone; returns how many. */
export function sweepOrphanedScratch(): number {
  let removed = 0;
  for (const name of readdirSync(tmpdir())) {
    if (!NAME.test(name)) continue;
    const dir = join(tmpdir(), name);
    let owner: string;
    try {
      owner = readFileSync(join(dir, OWNER), 'utf8').trim();
    } catch {
      continue; // being created right now, or not ours
    }
    const pid = Number(owner.split(' ')[0]);
    if (Number.isInteger(pid) && pid > 0 && processIdentity(pid) === owner) continue;
    rmSync(dir, { recursive: true, force: true });
    removed++;
  }
  return removed;
}
