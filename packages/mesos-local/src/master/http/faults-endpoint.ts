import type { IncomingMessage, ServerResponse } from 'node:http';
import { isObject } from '../../protocol/json-shape';
import type { MasterCore } from '../master';
import { BodyTooLarge, json, methodNotAllowed, readBody, text } from './respond';

export const FAULTS_PATH = '/_local/faults';

/** Faults that need more than the master (an agent to kill, a master to fail over): the cluster provides them. */
export interface ClusterFaultHooks {
  killAgent?(agentId: string, how: 'unreachable' | 'gone'): Promise<boolean>;
  failoverMaster?(): Promise<void>;
}

/**
 * `POST /_local/faults` (not a Mesos endpoint): fault injection over HTTP, so a cluster started by
 * the CLI can be disturbed from another process (the demo, a shell). Body: `{"type": ..., ...}`.
 */
export async function handleFaults(core: MasterCore, hooks: ClusterFaultHooks, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return methodNotAllowed(res, ['POST'], req.method);
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req, 64 * 1024));
  } catch (e) {
    return text(res, e instanceof BodyTooLarge ? 413 : 400, `Failed to parse body into JSON: ${(e as Error).message}`);
  }
  if (!isObject(body)) return text(res, 400, 'Expecting a JSON object');
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
  switch (body.type) {
    case 'CUT_FRAMEWORK_STREAM': {
      const id = str('framework_id');
      if (!id) return text(res, 400, "Expecting 'framework_id'");
      return core.cutFrameworkStream(id) ? text(res, 202) : text(res, 404, `framework ${id} has no open stream on this master`);
    }
    case 'DELAY_STATUS_UPDATES': {
      const ms = Number(body.ms);
      if (!Number.isFinite(ms) || ms < 0) return text(res, 400, "Expecting 'ms' >= 0");
      core.faults.delayMs = ms;
      return text(res, 202);
    }
    case 'DUPLICATE_STATUS_UPDATES':
      core.faults.duplicate = body.on === true;
      return text(res, 202);
    case 'RESCIND_OFFERS':
      return json(res, 200, { rescinded: core.rescindAllOffers(str('framework_id')) });
    case 'MARK_AGENT_UNREACHABLE':
    case 'MARK_AGENT_GONE': {
      const id = str('agent_id');
      if (!id) return text(res, 400, "Expecting 'agent_id'");
      const done = body.type === 'MARK_AGENT_GONE' ? core.markAgentGone(id) : core.markAgentUnreachable(id);
      return done ? text(res, 202) : text(res, 404, `agent ${id} is not registered`);
    }
    case 'KILL_AGENT': {
      const id = str('agent_id');
      if (!id) return text(res, 400, "Expecting 'agent_id'");
      if (!hooks.killAgent) return text(res, 501, 'this master runs without agents of its own');
      return (await hooks.killAgent(id, body.gone === true ? 'gone' : 'unreachable')) ? text(res, 202) : text(res, 404, `agent ${id} is not part of this cluster`);
    }
    case 'FAILOVER_MASTER':
      if (!hooks.failoverMaster) return text(res, 501, 'this master cannot fail itself over');
      // Answer first: failing over closes this very server.
      res.on('finish', () => void hooks.failoverMaster!());
      return text(res, 202);
    default:
      return text(res, 400, `Unknown fault type ${JSON.stringify(body.type)}`);
  }
}
