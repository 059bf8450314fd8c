import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptsMediaType } from '../../protocol/media-types';
import { parseSchedulerCall } from '../../protocol/scheduler-calls';
import type { MasterCore } from '../master';
import { openSchedulerStream } from './event-streams';
import { authenticateFramework, FrameworkCredentials } from './framework-auth';
import { redirectUnlessLeading } from './leader-gate';
import { BodyTooLarge, methodNotAllowed, readBody, text } from './respond';

export const SCHEDULER_PATH = '/api/v1/scheduler';

const JSON_TYPE = 'application/json';
const PROTOBUF_TYPE = 'application/x-protobuf';

/**
 * `POST /api/v1/scheduler`, with the checks of a real master in its order: leader (307/503),
 * method (405), Content-Type (400/415), body (400), call validation (400), Accept on SUBSCRIBE
 * (406), stream id (400), framework (400/403), then 202, or 501 for calls not implemented.
 */
export async function handleSchedulerCall(core: MasterCore, req: IncomingMessage, res: ServerResponse, credentials?: FrameworkCredentials): Promise<void> {
  // With framework authentication on, the HTTP layer refuses unauthenticated requests first (401).
  let principal: string | undefined;
  if (credentials) {
    const auth = authenticateFramework(credentials, req.headers.authorization);
    if (!auth.ok) return text(res, 401, auth.message, { 'WWW-Authenticate': 'Basic realm="mesos"' });
    principal = auth.principal;
  }
  if (redirectUnlessLeading(core, req, res, SCHEDULER_PATH)) return;
  if (req.method !== 'POST') return methodNotAllowed(res, ['POST'], req.method);
  const contentType = req.headers['content-type'];
  if (contentType === undefined) return text(res, 400, "Expecting 'Content-Type' to be present");
  // Masters compare the Content-Type exactly: parameters such as charset make it unsupported.
  if (contentType === PROTOBUF_TYPE) return text(res, 415, `The local cluster speaks JSON only: expecting 'Content-Type' of ${JSON_TYPE}`);
  if (contentType !== JSON_TYPE) return text(res, 415, `Expecting 'Content-Type' of ${JSON_TYPE} or ${PROTOBUF_TYPE}`);
  let body: string;
  try {
    body = await readBody(req);
  } catch (e) {
    return text(res, e instanceof BodyTooLarge ? 413 : 400, (e as Error).message);
  }
  const parsed = parseSchedulerCall(body);
  if (!parsed.ok) return text(res, parsed.status, parsed.message);
  const call = parsed.call;
  const streamId = req.headers['mesos-stream-id'];

  if (call.type === 'SUBSCRIBE') {
    const accept = req.headers.accept;
    if (!acceptsMediaType(accept, JSON_TYPE)) {
      return text(res, 406, acceptsMediaType(accept, PROTOBUF_TYPE)
        ? `The local cluster speaks JSON only: expecting 'Accept' to allow '${JSON_TYPE}'`
        : `Expecting 'Accept' to allow '${PROTOBUF_TYPE}' or '${JSON_TYPE}'`);
    }
    if (streamId !== undefined) return text(res, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
    const claimed = call.subscribe.frameworkInfo.principal;
    if (principal !== undefined && claimed !== principal) {
      return text(res, 403, `Framework principal '${claimed ?? ''}' does not match authenticated principal '${principal}'`);
    }
    core.subscribe(call, openSchedulerStream(res));
    return;
  }

  const gate = core.gateCall(call.frameworkId, Array.isArray(streamId) ? streamId[0] : streamId);
  if (!gate.ok) return text(res, gate.status, gate.message);
  if (principal !== undefined && gate.framework.info.principal !== principal) {
    return text(res, 403, `Authenticated principal '${principal}' is not the principal of framework ${gate.framework.id}`);
  }
  if (call.type === 'UNKNOWN') return text(res, 501);
  if (call.type === 'UNSUPPORTED') return text(res, 501, `${call.name} is not implemented by the local cluster`);
  core.execute(gate.framework, call);
  text(res, 202);
}
