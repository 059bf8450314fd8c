import { parseMasterUrl } from './master-url';
import { StaticLeaderDetector, type LeaderDetector } from './leader-detector';
import { ZkLeaderDetector, type ZkLeaderDetectorOptions } from './zk-leader-detector';

/** The detector a master URL asks for: ZooKeeper for zk://, a fixed address for http(s)://. */
export async function detectLeader(masterUrl: string, opts: ZkLeaderDetectorOptions = {}): Promise<LeaderDetector> {
  const location = parseMasterUrl(masterUrl);
  if (location.kind === 'static') return new StaticLeaderDetector(location.url);
  return ZkLeaderDetector.start(location.servers, location.path, opts);
}
