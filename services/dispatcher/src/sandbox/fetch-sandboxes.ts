import { redirectTarget, sendRequest } from '@msched/mesos';
import { agentAddress, parseAgentSandboxes } from './parse-agent-sandboxes';
import { parseTaskSandboxes } from './parse-sandboxes';

/**
 * Reads the sandbox directories of our tasks from the leading master's `/master/state` (a 307 from
 * a master that stopped leading is followed once). Real Mesos masters do not list task
 * directories: for a task the master does not place, the agent that ran it (`agentId`) is asked
 * through its own `/state`, as Mesos' web UI does.
 */
export async function fetchTaskSandboxes(masterUrl: string, frameworkId: string, timeoutMs: number, wanted?: { taskId: string; agentId?: string }): Promise<Map<string, string>> {
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
    const agent = wanted?.agentId && !found.has(wanted.taskId) ? agentAddress(state, wanted.agentId) : undefined;
    if (agent) {
      try {
        const a = await sendRequest({ url: new URL('/state', agent).href, method: 'GET', headers: { Accept: 'application/json' }, timeoutMs });
        if (a.status === 200) for (const [id, dir] of parseAgentSandboxes(JSON.parse(a.body), frameworkId)) if (!found.has(id)) found.set(id, dir);
      } catch {
        // The agent is unreachable (gone, or a name that does not resolve): its sandbox stays unknown.
      }
    }
    return found;
  }
  throw new Error(`GET /master/state was redirected more than once from ${masterUrl}`);
}
