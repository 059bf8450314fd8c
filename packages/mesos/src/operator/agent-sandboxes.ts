/**
 * Sandbox directories of a framework's tasks from an agent's own `GET /state` (real Mesos agents
 * list them there, under each executor: a command task's executor runs in the task's sandbox and
 * carries the task in its `tasks` / `completed_tasks`). Without a framework id, every framework's.
 */
export function parseAgentSandboxes(state: unknown, frameworkId: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const s = state as { frameworks?: unknown; completed_frameworks?: unknown };
  const frameworks = [...(Array.isArray(s?.frameworks) ? s.frameworks : []), ...(Array.isArray(s?.completed_frameworks) ? s.completed_frameworks : [])] as Array<Record<string, unknown>>;
  for (const fw of frameworks.filter((f) => frameworkId === undefined || f?.id === frameworkId)) {
    for (const list of [fw.executors, fw.completed_executors]) {
      if (!Array.isArray(list)) continue;
      for (const ex of list as Array<Record<string, unknown>>) {
        if (typeof ex?.directory !== 'string' || !ex.directory) continue;
        const tasks = [ex.tasks, ex.queued_tasks, ex.completed_tasks].flatMap((t) => (Array.isArray(t) ? t : [])) as Array<Record<string, unknown>>;
        for (const t of tasks) if (typeof t?.id === 'string') out.set(t.id, ex.directory);
        // A command executor is named after its task.
        if (typeof ex.id === 'string' && !out.has(ex.id)) out.set(ex.id, ex.directory);
      }
    }
  }
  return out;
}

/** The agent's HTTP address from the master's state (`slaves[].pid` is `slave(1)@ip:port`). */
export function agentAddress(masterState: unknown, agentId: string): string | undefined {
  const slaves = (masterState as { slaves?: unknown })?.slaves;
  if (!Array.isArray(slaves)) return undefined;
  const a = slaves.find((x) => (x as { id?: unknown })?.id === agentId) as { pid?: unknown; hostname?: unknown; port?: unknown } | undefined;
  const m = typeof a?.pid === 'string' ? /@([^:]+):(\d+)$/.exec(a.pid) : null;
  if (m) return `http://${m[1]}:${m[2]}`;
  return typeof a?.hostname === 'string' && typeof a.port === 'number' ? `http://${a.hostname}:${a.port}` : undefined;
}
