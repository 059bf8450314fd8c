import { redirectTarget, sendRequest } from '@msched/mesos';
import { parseTaskSandboxes } from './parse-sandboxes';

/**
 * Reads the sandbox directories of our tasks from the leading master's `/master/state` (a 307 from
 * a master that stopped leading is followed once). Real Mesos masters do not list task
 * directories; then the map is empty and the provisioner must find sandboxes through the agents.
 */
export async function fetchTaskSandboxes(masterUrl: string, frameworkId: string, timeoutMs: number): Promise<Map<string, string>> {
  let url = new URL('/master/state', masterUrl);
  for (let hop = 0; hop < 2; hop++) {
    const answer = await sendRequest({ url: url.href, method: 'GET', headers: { Accept: 'application/json' }, timeoutMs });
    if (answer.status === 307) {
      url = redirectTarget(answer.headers.location, url.href);
      continue;
    }
    if (answer.status !== 200) throw new Error(`GET ${url.href} answered ${answer.status}`);
    return parseTaskSandboxes(JSON.parse(answer.body), frameworkId);
  }
  throw new Error(`GET /master/state was redirected more than once from ${masterUrl}`);
}
