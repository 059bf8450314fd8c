import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@msched/logging';
import { LocalAgent } from './agent/agent';
import { findFreePortBlocks } from './agent/free-ports';
import { specResources } from './cluster/agent-specs';
import { nodeFreeEnvironment } from './cluster/node-free-env';
import { parseZkUrl } from './protocol/zk-url';
import { parseAttributes } from './resources/attributes';
import { MasterDetector, StaticDetector, ZkDetector } from './zk/master-detector';

export interface StandaloneAgentOptions {
  /** zk://host:port/path (follows the leading master) or http://host:port. */
  master: string;
  hostname: string;
  cpus: number;
  mem: number;
  disk: number;
  ports: number;
  attributes: string;
  workDir: string;
  sandboxGcDelayMs?: number;
  /** Tasks get a PATH without node and nothing leading into the checkout (nodeFreeEnvironment). */
  tasksWithoutNode?: boolean;
  /** Fetcher cache size bound in bytes (default 2 GB, 0 disables it). */
  fetcherCacheBytes?: number;
  logger: Logger;
}

/**
 * One agent in a process of its own, joining a running local cluster the way a new Mesos agent
 * joins a cluster: it finds the leading master and registers. Used by the local capacity provider
 * to add agents on demand; stopping the process (SIGTERM) kills its tasks and leaves the cluster.
 */
export async function startStandaloneAgent(o: StandaloneAgentOptions): Promise<{ agent: LocalAgent; stop(): Promise<void> }> {
  let detector: MasterDetector;
  if (o.master.startsWith('zk://')) {
    const zk = parseZkUrl(o.master);
    detector = await ZkDetector.start(zk.servers, zk.path, o.logger);
  } else {
    detector = new StaticDetector(o.master);
  }
  const [ports] = await findFreePortBlocks(1, o.ports, 33000);
  const workDir = join(o.workDir, o.hostname);
  await mkdir(workDir, { recursive: true });
  // Like the in-process cluster's agents: an agent where nothing of ours is installed.
  const inheritedEnv = o.tasksWithoutNode ? await nodeFreeEnvironment(join(workDir, 'task-bin')) : undefined;
  const agent = new LocalAgent({
    hostname: o.hostname, workDir, detector, logger: o.logger, sandboxGcDelayMs: o.sandboxGcDelayMs, inheritedEnv, fetcherCacheBytes: o.fetcherCacheBytes,
    resources: specResources({ hostname: o.hostname, cpus: o.cpus, mem: o.mem, disk: o.disk, ports, attributes: [] }),
    attributes: parseAttributes(o.attributes),
  });
  agent.start();
  await agent.waitRegistered(30_000);
  return {
    agent,
    async stop() {
      await agent.stop();
      await detector.stop();
    },
  };
}
