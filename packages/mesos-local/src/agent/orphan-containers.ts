import { readFileSync } from 'node:fs';
import { isAlive, listPids } from './process-table';
import { CONTAINER_MARKER } from './task-environment';

export interface OrphanProcess {
  pid: number;
  containerId: string;
  sandbox: string;
}

function environ(pid: number): Map<string, string> | null {
  let raw: Buffer;
  try {
    raw = readFileSync(`/proc/${pid}/environ`);
  } catch {
    return null;
  }
  const out = new Map<string, string>();
  for (const entry of raw.toString('utf8').split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) out.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return out;
}

/**
 * Live processes of containers whose sandbox is under `workDir`: at an agent's start, before it
 * registers, none can be its own, so every one was left by a previous agent process on this work
 * dir (killed -9: executors outlive their agent). Found by the container marker every task process
 * and its children inherit.
 */
export function findOrphanContainers(workDir: string, self = process.pid): OrphanProcess[] {
  const prefix = workDir.endsWith('/') ? workDir : `${workDir}/`;
  const out: OrphanProcess[] = [];
  for (const pid of listPids()) {
    if (pid === self || !isAlive(pid)) continue;
    const env = environ(pid);
    const containerId = env?.get(CONTAINER_MARKER);
    const sandbox = env?.get('MESOS_SANDBOX') ?? env?.get('MESOS_DIRECTORY');
    if (containerId && sandbox?.startsWith(prefix)) out.push({ pid, containerId, sandbox });
  }
  return out;
}

/**
 * What a Mesos agent's containerizer does with the containers it cannot recover: destroys them
 * (SIGKILL, as the cgroups launcher does). This agent recovers no container (it registers anew),
 * so it destroys them all; their tasks reach the framework as lost with the old agent id.
 */
export function destroyOrphanContainers(workDir: string): OrphanProcess[] {
  const found = findOrphanContainers(workDir);
  for (const p of found) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
  return found;
}
