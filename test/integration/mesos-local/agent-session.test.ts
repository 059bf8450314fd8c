import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { createLogger } from '@msched/logging';
import type { LocalCluster, MasterAddress, MasterDetector } from '@msched/mesos-local';
import { MasterLink, MasterSession } from '@msched/mesos-local/dist/internals';
import { startTestCluster, testLogLevel } from './fixture';

/** A leader the test moves by hand, as ZooKeeper moves it in a failover. */
class MovableDetector implements MasterDetector {
  private readonly listeners = new Set<(l: MasterAddress | null) => void>();
  constructor(private leader: MasterAddress | null) {}
  current(): MasterAddress | null { return this.leader; }
  onChange(l: (leader: MasterAddress | null) => void): () => void {
    this.listeners.add(l);
    return () => { this.listeners.delete(l); };
  }
  moveTo(leader: MasterAddress | null): void {
    this.leader = leader;
    this.listeners.forEach((l) => l(leader));
  }
  async stop(): Promise<void> {}
}

/**
 * Found by the 30-minute chaos run: an agent registering with a master that had just been killed
 * (its socket accepted, no answer yet) was told of the new leader, closed that link, and never
 * registered again. Its tasks ran on unseen until the master called it unreachable 10 minutes later,
 * and their sandboxes were left behind.
 */
describe('local Mesos: an agent\'s session with its master (integration)', function () {
  this.timeout(30_000);
  let silent: Server;
  let silentAddress: MasterAddress;
  const sockets: Socket[] = [];
  let cluster: LocalCluster | undefined;
  let session: MasterSession | undefined;

  before(async () => {
    // Accepts the registration's connection and never answers, like a master stopped mid-request.
    silent = createServer((s) => { sockets.push(s); });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const a = silent.address();
    if (!a || typeof a === 'string') throw new Error('no port');
    silentAddress = { host: '127.0.0.1', port: a.port };
  });
  after(async () => {
    session?.stop();
    await cluster?.stop();
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => silent.close(r));
  });

  it('a link closed before its master answered refuses its registration instead of leaving it pending', async () => {
    const link = new MasterLink(silentAddress, { hostname: 'a', resources: [], attributes: [], work_dir: '/tmp', frameworks: [], tasks: [] }, () => undefined, () => undefined);
    await new Promise((r) => setTimeout(r, 100));
    link.close();
    const settled = await Promise.race([link.ready.then(() => 'resolved', () => 'rejected'), new Promise((r) => setTimeout(() => r('pending'), 2000))]);
    assert.equal(settled, 'rejected');
  });

  it('the leader moving while it registers with a master that does not answer: it registers with the new leader', async () => {
    cluster = await startTestCluster({ agents: 0 });
    const detector = new MovableDetector(silentAddress);
    const registered: string[] = [];
    session = new MasterSession({
      hostname: 'moving-agent', detector, logger: createLogger({ service: 'agent-session-test', level: testLogLevel() }),
      registration: (agentId) => ({ ...(agentId ? { agent_id: agentId } : {}), hostname: 'moving-agent', resources: [], attributes: [], work_dir: '/tmp/moving-agent', frameworks: [], tasks: [] }),
      onCommand: () => undefined,
      onRegistered: (id) => { registered.push(id); },
    });
    session.start();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(session.isRegistered, false, 'positive control: the silent master holds the registration');
    const u = new URL(cluster.masterUrl);
    detector.moveTo({ host: u.hostname, port: Number(u.port) });
    await session.waitRegistered(10_000);
    assert.equal(registered.length, 1);
  });
});
