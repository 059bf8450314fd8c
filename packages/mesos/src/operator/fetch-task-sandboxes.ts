import { redirectTarget } from '../http/redirect';
import { sendRequest } from '../http/request';
import { agentAddress, parseAgentSandboxes } from './agent-sandboxes';
import { parseTaskSandboxes } from './task-sandboxes';

/** A task whose sandbox is wanted, with the agent that ran it (asked when the master does not say). */
export interface WantedSandbox {
  readonly taskId: string;
  readonly agentId?: string;
}

/**
 * Reads the sandbox directories of our tasks from the leading master's `/master/state` (a 307 from
 * a master that stopped leading is followed once). Real Mesos masters do not list task
 * directories: for each wanted task the master does not place, the agent that ran it is asked
 * through its own `/state`, as Mesos' web UI does. `frameworkId` undefined: any framework's tasks.
 * Throws when the master does not answer; an agent that does not answer leaves its tasks out.
 */
export async function fetchTaskSandboxes(
  masterUrl: string, frameworkId: string | undefined, timeoutMs: number, wanted?: WantedSandbox | readonly WantedSandbox[],
): Promise<Map<string, string>> {
  const wants: readonly WantedSandbox[] = wanted === undefined ? [] : Array.isArray(wanted) ? wanted : [wanted as WantedSandbox];
  let url = new URL('/master/state', masterUrl);
  for (let hop = 0; hop < 2; hop++) {
    const answer = await sendRequest({ url: url.href, method: 'GET', headers: { Accept: 'application/json' }, timeoutMs });
    if (answer.status === 307) {
      url = redirectTarget(answer.headers.location, url.href);
      continue;
    }
    if (answer.status !== 200) throw new Error(`GET ${url.href} answered ${answer.status}`);
    const state: unknown = JSON.parse(answer.body);
    const found = parseTaskSandboxes(state, frameworkId);
    const agents = new Set(wants.filter((w) => w.agentId && !found.has(w.taskId)).map((w) => w.agentId as string));
    for (const agentId of agents) {
      const agent = agentAddress(state, agentId);
      if (!agent) continue;
      try {
        const a = await sendRequest({ url: new URL('/state', agent).href, method: 'GET', headers: { Accept: 'application/json' }, timeoutMs });
        if (a.status === 200) for (const [id, dir] of parseAgentSandboxes(JSON.parse(a.body), frameworkId)) if (!found.has(id)) found.set(id, dir);
      } catch {
        // The agent is unreachable (gone, or a name that does not resolve): its sandboxes stay unknown.
      }
    }
    return found;
  }
  throw new Error(`GET /master/state was redirected more than once from ${masterUrl}`);
}

/** How a service looks sandboxes up (a parameter so tests can make the lookup fail). */
export type SandboxLookup = typeof fetchTaskSandboxes;
