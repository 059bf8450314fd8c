import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MasterCore } from '../master';
import { masterEndpoint } from '../../protocol/master-info';
import { text } from './respond';

/**
 * What every leader-only endpoint does on a master that does not lead: 307 to the leader with a
 * protocol-relative Location (`//host:port/path`), or 503 when nobody leads. Returns true when the
 * request was answered here.
 */
export function redirectUnlessLeading(core: MasterCore, req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (core.isLeading()) {
    if (core.isRecovering()) {
      text(res, 503, 'Master has not finished recovery');
      return true;
    }
    return false;
  }
  const leader = core.leaderInfo();
  const ep = leader ? masterEndpoint(leader) : null;
  if (!ep) {
    text(res, 503, 'No leader elected');
    return true;
  }
  req.resume();
  text(res, 307, '', { Location: `//${ep.host}:${ep.port}${path}` });
  return true;
}
