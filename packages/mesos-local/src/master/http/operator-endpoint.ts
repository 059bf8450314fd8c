import type { IncomingMessage, ServerResponse } from 'node:http';
import { isObject } from '../../protocol/json-shape';
import type { MasterCore } from '../master';
import { renderGetAgents, renderGetState } from '../state-json';
import { redirectUnlessLeading } from './leader-gate';
import { BodyTooLarge, json, methodNotAllowed, readBody, text } from './respond';

export const OPERATOR_PATH = '/api/v1';

/** `POST /api/v1`: the operator calls the local cluster answers (GET_STATE, GET_AGENTS, GET_HEALTH, GET_MASTER...). */
export async function handleOperatorCall(core: MasterCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (redirectUnlessLeading(core, req, res, OPERATOR_PATH)) return;
  if (req.method !== 'POST') return methodNotAllowed(res, ['POST'], req.method);
  const contentType = req.headers['content-type'];
  if (contentType === undefined) return text(res, 400, "Expecting 'Content-Type' to be present");
  if (contentType !== 'application/json') return text(res, 415, "The local cluster speaks JSON only: expecting 'Content-Type' of application/json");
  let call: unknown;
  try {
    call = JSON.parse(await readBody(req));
  } catch (e) {
    return text(res, e instanceof BodyTooLarge ? 413 : 400, `Failed to parse body into JSON: ${(e as Error).message}`);
  }
  if (!isObject(call) || typeof call.type !== 'string') return text(res, 400, "Failed to validate master::Call: Expecting 'type' to be present");
  const s = core.snapshot();
  switch (call.type) {
    case 'GET_STATE':
      return json(res, 200, renderGetState(s));
    case 'GET_AGENTS':
      return json(res, 200, renderGetAgents(s));
    case 'GET_FRAMEWORKS':
      return json(res, 200, { type: 'GET_FRAMEWORKS', get_frameworks: (renderGetState(s).get_state as Record<string, unknown>).get_frameworks });
    case 'GET_TASKS':
      return json(res, 200, { type: 'GET_TASKS', get_tasks: (renderGetState(s).get_state as Record<string, unknown>).get_tasks });
    case 'GET_HEALTH':
      return json(res, 200, { type: 'GET_HEALTH', get_health: { healthy: true } });
    case 'GET_MASTER':
      return json(res, 200, { type: 'GET_MASTER', get_master: { master_info: s.info, start_time: s.startedAt / 1000, ...(s.electedAt ? { elected_time: s.electedAt / 1000 } : {}) } });
    case 'GET_VERSION':
      return json(res, 200, { type: 'GET_VERSION', get_version: { version_info: { version: s.info.version } } });
    default:
      return text(res, 501, `${call.type} is not implemented by the local cluster`);
  }
}
