import assert from 'node:assert/strict';
import zookeeper from 'node-zookeeper-client';
import { rendezvousRemover, RendezvousRemover } from '@msched/provisioner';
import { Zk } from '@msched/zk';
import { eventually } from '../../helpers/eventually';
import { RUN_ID, requireStack, testConfig } from '../../helpers/stack';

/**
 * Found by the chaos run (docs/reliability.md, orphan rendezvous nodes): the provisioner opened one
 * ZooKeeper session for its cleanup and kept it for ever; once it expired (an outage longer than the
 * session timeout) the client never sent again, so no job's rendezvous nodes were removed after.
 */
describe('provisioner: rendezvous cleanup after its ZooKeeper session expired (integration)', function () {
  this.timeout(60_000);
  const base = testConfig();
  const zkCfg = { ...base.zookeeper, root: `/msched-test/${RUN_ID}/rendezvous-expiry`, sessionTimeoutMs: 4000 };
  let admin: Zk;
  let remover: RendezvousRemover | undefined;

  before(async () => {
    await requireStack('zookeeper');
    admin = await Zk.connect(zkCfg.connect);
  });
  after(async () => {
    remover?.close();
    await admin?.removeRecursive(zkCfg.root).catch(() => undefined);
    admin?.close();
  });

  /**
   * Ends a session from outside: a second client attaches to it and closes it. Settles on every
   * outcome (attaching to a session that already ended yields 'expired', never 'connected').
   */
  function expireSession(zk: Zk): Promise<void> {
    const client = (zk as unknown as { client: zookeeper.Client }).client;
    const thief = zookeeper.createClient(zkCfg.connect.join(','), { sessionId: client.getSessionId(), sessionPassword: client.getSessionPassword(), sessionTimeout: 10_000 } as never);
    return new Promise((resolve) => {
      const done = (): void => { clearTimeout(timer); thief.removeAllListeners('state'); thief.close(); resolve(); };
      const timer = setTimeout(done, 5000);
      thief.on('state', (state: zookeeper.State) => {
        if (state === zookeeper.State.SYNC_CONNECTED || state === zookeeper.State.EXPIRED || state === zookeeper.State.AUTH_FAILED) done();
      });
      thief.connect();
    });
  }

  it('removes the rendezvous of jobs that end after the session expired', async () => {
    await admin.mkdirp(`${zkCfg.root}/rendezvous/job-a/1/members`);
    await admin.mkdirp(`${zkCfg.root}/rendezvous/job-b/1/members`);
    let opened: Zk | undefined;
    const connect = Zk.connect.bind(Zk);
    const spy = (async (...a: Parameters<typeof Zk.connect>) => (opened = await connect(...a))) as typeof Zk.connect;
    (Zk as unknown as { connect: typeof Zk.connect }).connect = spy;
    try {
      remover = rendezvousRemover(zkCfg);
      await remover.remove('job-a');
    } finally {
      (Zk as unknown as { connect: typeof Zk.connect }).connect = connect;
    }
    assert.equal(await admin.exists(`${zkCfg.root}/rendezvous/job-a`), false);

    await expireSession(opened!);
    // The cleanup stage is retried until it succeeds; it must succeed again once ZooKeeper answers.
    let lastFailure = '';
    await eventually('job-b\'s rendezvous to be removed', async () => {
      await remover!.remove('job-b').catch((e: Error) => { lastFailure = e.message; });
      return (await admin.exists(`${zkCfg.root}/rendezvous/job-b`)) === false;
    }, { timeoutMs: 30_000, state: () => ({ lastFailure }) });
  });
});
