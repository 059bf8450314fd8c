/**
 * Sandbox directories of a framework's tasks from `/master/state`, where the master gives them
 * (a task's `directory`); tasks without one are left out. Live, unreachable and completed tasks
 * are all looked at: a gang's sandboxes are collected after its tasks ended. Without a framework
 * id, every framework's tasks (ours have ids of their own).
 */
export function parseTaskSandboxes(state: unknown, frameworkId: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const s = state as { frameworks?: unknown; completed_frameworks?: unknown };
  const frameworks = [...(Array.isArray(s?.frameworks) ? s.frameworks : []), ...(Array.isArray(s?.completed_frameworks) ? s.completed_frameworks : [])] as Array<Record<string, unknown>>;
  for (const fw of frameworks.filter((f) => frameworkId === undefined || f?.id === frameworkId)) collectTasks(fw, out);
  return out;
}

function collectTasks(fw: Record<string, unknown>, out: Map<string, string>): void {
  for (const list of [fw.tasks, fw.unreachable_tasks, fw.completed_tasks]) {
    if (!Array.isArray(list)) continue;
    for (const t of list as Array<Record<string, unknown>>) {
      if (typeof t?.id === 'string' && typeof t.directory === 'string' && t.directory) out.set(t.id, t.directory);
    }
  }
}
