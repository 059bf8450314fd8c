import { MesosCallError, MesosConnectionError } from '../errors';
import { redirectTarget } from '../http/redirect';
import { sendRequest } from '../http/request';
import { detectLeader } from '../master/detect-leader';
import type { LeaderDetector } from '../master/leader-detector';
import { parseClusterState, type ClusterState } from './cluster-state';

export interface FetchClusterStateOptions {
  readonly timeoutMs?: number;
  readonly maxRedirects?: number;
  /** For zk:// URLs: how long to wait for a leader to appear. */
  readonly leaderWaitMs?: number;
}

/**
 * Reads `GET /master/state` from the leading master. `master` is a master URL (zk://, http://) or a
 * running LeaderDetector; a non-leading master's 307 is followed to the leader.
 */
export async function fetchClusterState(master: string | LeaderDetector, opts: FetchClusterStateOptions = {}): Promise<ClusterState> {
  const owned = typeof master === 'string' ? await detectLeader(master) : undefined;
  const detector = owned ?? (master as LeaderDetector);
  try {
    const leader = await detector.leader(opts.leaderWaitMs ?? 10_000);
    let url = new URL('/master/state', leader.url);
    for (let hop = 0; ; hop++) {
      const answer = await sendRequest({ url: url.href, method: 'GET', headers: { Accept: 'application/json' }, timeoutMs: opts.timeoutMs ?? 10_000 });
      if (answer.status === 200) return parseClusterState(answer.body, url.origin);
      if (answer.status === 307) {
        if (hop >= (opts.maxRedirects ?? 3)) throw new MesosConnectionError(`/master/state was redirected more than ${opts.maxRedirects ?? 3} times`);
        url = redirectTarget(answer.headers.location, url.href);
        continue;
      }
      throw new MesosCallError('GET /master/state', answer.status, answer.body.trim().slice(0, 2000), url.origin);
    }
  } finally {
    await owned?.close();
  }
}
