/**
 * Sandbox directories of a framework's tasks from `/master/state`, where the master gives them
 * (a task's `directory`); tasks without one are left out. Live, unreachable and completed tasks
 * are all looked at: a gang's sandboxes are collected after its tasks ended.
 */
export function parseTaskSandboxes(state: unknown, frameworkId: string): Map<string, string> {
  const out = new Map<string, string>();
  const frameworks = (state as { frameworks?: unknown })?.frameworks;
  if (!Array.isArray(frameworks)) return out;
  const fw = frameworks.find((f) => (f as { id?: unknown })?.id === frameworkId) as Record<string, unknown> | undefined;
  if (!fw) return out;
  for (const list of [fw.tasks, fw.unreachable_tasks, fw.completed_tasks]) {
    if (!Array.isArray(list)) continue;
    for (const t of list as Array<Record<string, unknown>>) {
      if (typeof t?.id === 'string' && typeof t.directory === 'string' && t.directory) out.set(t.id, t.directory);
    }
  }
  return out;
}
