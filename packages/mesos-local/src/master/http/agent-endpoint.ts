import type { IncomingMessage, ServerResponse } from 'node:http';
import { AGENT_REGISTER_PATH, AGENT_UPDATE_PATH, AgentPost, AgentRegistration } from '../../protocol/agent-link';
import { isObject } from '../../protocol/json-shape';
import type { MasterCore } from '../master';
import { openAgentCommandStream } from './event-streams';
import { redirectUnlessLeading } from './leader-gate';
import { BodyTooLarge, methodNotAllowed, readBody, text } from './respond';

async function readJson(req: IncomingMessage, res: ServerResponse): Promise<Record<string, unknown> | null> {
  if (req.method !== 'POST') {
    methodNotAllowed(res, ['POST'], req.method);
    return null;
  }
  try {
    const parsed: unknown = JSON.parse(await readBody(req));
    if (isObject(parsed)) return parsed;
    text(res, 400, 'Expecting a JSON object');
  } catch (e) {
    text(res, e instanceof BodyTooLarge ? 413 : 400, `Failed to parse body into JSON: ${(e as Error).message}`);
  }
  return null;
}

function registrationProblem(r: Record<string, unknown>): string | null {
  if (typeof r.hostname !== 'string' || !r.hostname) return "'hostname' must be a non-empty string";
  if (typeof r.work_dir !== 'string' || !r.work_dir) return "'work_dir' must be a non-empty string";
  if (r.agent_id !== undefined && typeof r.agent_id !== 'string') return "'agent_id' must be a string";
  for (const key of ['resources', 'attributes', 'frameworks', 'tasks']) if (!Array.isArray(r[key])) return `'${key}' must be an array`;
  return null;
}

/** The local agent link (not a Mesos endpoint): see protocol/agent-link.ts. */
export async function handleAgentRegister(core: MasterCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (redirectUnlessLeading(core, req, res, AGENT_REGISTER_PATH)) return;
  const body = await readJson(req, res);
  if (!body) return;
  const problem = registrationProblem(body);
  if (problem) return text(res, 400, `Invalid agent registration: ${problem}`);
  core.registerAgent(body as unknown as AgentRegistration, openAgentCommandStream(res));
}

export async function handleAgentPost(core: MasterCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (redirectUnlessLeading(core, req, res, AGENT_UPDATE_PATH)) return;
  const body = await readJson(req, res);
  if (!body) return;
  const post = body as unknown as AgentPost;
  let result: { ok: boolean; message?: string };
  if (post.type === 'STATUS_UPDATE' && isObject(post.update) && isObject(post.update.status)) result = core.agentStatusUpdate(post.update);
  else if (post.type === 'EXECUTOR_EXITED' && isObject(post.exited)) result = core.agentExecutorExited(post.exited);
  else return text(res, 400, `Unknown agent message type ${JSON.stringify(body.type)}`);
  if (result.ok) text(res, 202);
  else text(res, 409, result.message ?? 'refused');
}
