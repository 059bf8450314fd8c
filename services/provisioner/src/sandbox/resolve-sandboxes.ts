import type { DataSource } from 'typeorm';
import { setTaskSandbox, taskSandboxesOfJob, type Db } from '@msched/db';
import type { Logger } from '@msched/logging';
import type { SandboxLookup } from '@msched/mesos';
import type { EndedTask, JobEnded } from '@msched/model';

export interface ResolvedSandboxes {
  /** The ended tasks, each with its sandbox where one is known now. */
  readonly tasks: EndedTask[];
  /** Found by the lookup here (not in the report, not in the database). */
  readonly found: Array<[string, string]>;
  /** Why the lookup failed, when it did. */
  readonly lookupError?: string;
}

/**
 * Completes the sandboxes of an ended job: from its end report, else from the database (the
 * dispatcher may have learned them after the report), else from the master's state and the agents'
 * own state (as the dispatcher looks them up).
 */
export async function resolveSandboxes(ds: DataSource, ended: JobEnded, o: { masterUrl: string; lookup: SandboxLookup; timeoutMs: number; logger: Logger }): Promise<ResolvedSandboxes> {
  if (ended.tasks.every((t) => t.sandboxPath)) return { tasks: [...ended.tasks], found: [] };
  const rows = await taskSandboxesOfJob(ds, ended.jobId);
  const recorded = new Map(rows.filter((r) => r.sandbox_path).map((r) => [r.id, r.sandbox_path as string]));
  const unknown = ended.tasks.filter((t) => !t.sandboxPath && !recorded.has(t.taskId));
  const found = new Map<string, string>();
  let lookupError: string | undefined;
  if (unknown.length) {
    try {
      const listed = await o.lookup(o.masterUrl, rows[0]?.framework_id ?? undefined, o.timeoutMs, unknown.map((t) => ({ taskId: t.taskId, ...(t.agentId ? { agentId: t.agentId } : {}) })));
      for (const t of unknown) {
        const dir = listed.get(t.taskId);
        if (dir) found.set(t.taskId, dir);
      }
    } catch (e) {
      lookupError = (e as Error).message;
      o.logger.warn(`looking up the sandboxes of ${unknown.map((t) => t.taskId).join(', ')} failed: ${lookupError}`);
    }
    if (found.size) o.logger.info(`found the sandboxes of ${[...found.keys()].join(', ')}, missing from the job's end report`);
  }
  return {
    tasks: ended.tasks.map((t) => {
      const dir = t.sandboxPath ?? recorded.get(t.taskId) ?? found.get(t.taskId);
      return dir ? { ...t, sandboxPath: dir } : { ...t };
    }),
    found: [...found],
    ...(lookupError ? { lookupError } : {}),
  };
}

/** Records sandboxes found after the fact (first answer wins: a sandbox never moves). */
export async function setTaskSandboxes(tx: Db, sandboxes: ReadonlyArray<[string, string]>): Promise<void> {
  for (const [taskId, dir] of sandboxes) await setTaskSandbox(tx, taskId, dir);
}
