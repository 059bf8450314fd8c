import { mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Sandbox paths, laid out as a Mesos agent does under its work dir:
 * `<work_dir>/slaves/<agent>/frameworks/<fw>/executors/<executor>/runs/<container>` with a
 * `runs/latest` symlink; a task-group task gets `<that>/tasks/<task>` as its own sandbox.
 */
export function executorRunDir(workDir: string, agentId: string, frameworkId: string, executorId: string, containerId: string): string {
  return join(workDir, 'slaves', safe(agentId), 'frameworks', safe(frameworkId), 'executors', safe(executorId), 'runs', safe(containerId));
}

export function groupTaskDir(runDir: string, taskId: string): string {
  return join(runDir, 'tasks', safe(taskId));
}

/** Ids are validated by the master (no '/'), but a sandbox path must never climb out regardless. */
function safe(id: string): string {
  return id.replace(/[/\\\x00]/g, '_').replace(/^\.\.?$/, '_');
}

/** Creates the run directory and points `runs/latest` at it. */
export async function createRunDir(runDir: string): Promise<void> {
  await mkdir(runDir, { recursive: true });
  const latest = join(runDir, '..', 'latest');
  await rm(latest, { force: true });
  await symlink(runDir.slice(runDir.lastIndexOf('/') + 1), latest).catch(() => undefined);
}
