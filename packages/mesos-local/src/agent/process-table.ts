import { readFileSync, readdirSync } from 'node:fs';

export interface ProcInfo { pid: number; ppid: number; pgid: number; state: string }

/** One process from /proc/<pid>/stat, or null when it does not exist. */
export function readProc(pid: number): ProcInfo | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name sits in parentheses and may itself contain spaces or parentheses.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pid, state: rest[0], ppid: Number(rest[1]), pgid: Number(rest[2]) };
}

/** Alive means present and neither a zombie nor dead (a zombie is gone, only not yet reaped). */
export function isAlive(pid: number): boolean {
  const p = readProc(pid);
  return !!p && p.state !== 'Z' && p.state !== 'X';
}

export function listPids(): number[] {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
}

function environHas(pid: number, entry: Buffer): boolean {
  try {
    const env = readFileSync(`/proc/${pid}/environ`);
    let start = 0;
    for (let i = 0; i <= env.length; i++) {
      if (i === env.length || env[i] === 0) {
        if (i - start === entry.length && env.subarray(start, i).equals(entry)) return true;
        start = i + 1;
      }
    }
  } catch {
    // Gone, or not ours to read.
  }
  return false;
}

/**
 * Every live process of a task's container: members of its process group, plus any process
 * carrying the container's environment marker (a child that called setsid escapes the group but
 * keeps its environment).
 */
export function containerProcesses(pgid: number, marker: { name: string; value: string }): number[] {
  const entry = Buffer.from(`${marker.name}=${marker.value}`);
  const out: number[] = [];
  for (const pid of listPids()) {
    if (pid === process.pid) continue;
    const p = readProc(pid);
    if (!p || p.state === 'Z' || p.state === 'X') continue;
    if (p.pgid === pgid || environHas(pid, entry)) out.push(pid);
  }
  return out;
}
