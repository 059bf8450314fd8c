import assert from 'node:assert/strict';
import { rendezvousRemover, RendezvousRemover } from '@msched/provisioner';
import { Zk } from '@msched/zk';
import { eventually } from '../../helpers/eventually';
import { TcpProxy } from '../../helpers/tcp-proxy';
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
  let proxy: TcpProxy | undefined;

  before(async () => {
    await requireStack('zookeeper');
    admin = await Zk.connect(zkCfg.connect);
  });
  after(async () => {
    remover?.close();
    await proxy?.close();
    await admin?.removeRecursive(zkCfg.root).catch(() => undefined);
    admin?.close();
  });

  it('removes the rendezvous of jobs that end after the session expired', async () => {
    await admin.mkdirp(`${zkCfg.root}/rendezvous/job-a/1/members`);
    await admin.mkdirp(`${zkCfg.root}/rendezvous/job-b/1/members`);
    // The remover reaches ZooKeeper through a relay the test can cut, as a partition does.
    proxy = await TcpProxy.start(zkCfg.connect[0]);
    remover = rendezvousRemover({ ...zkCfg, connect: [`127.0.0.1:${proxy.port}`] });
    await remover.remove('job-a');
    assert.equal(await admin.exists(`${zkCfg.root}/rendezvous/job-a`), false);

    // Out of touch for longer than the session timeout (4 s): the session is gone. (Stealing the
    // session from a second client, as this test did before, raced the client's own reconnection.)
    proxy.cut(10_000);
    // The cleanup stage is retried until it succeeds; it must succeed again once ZooKeeper answers.
    let lastFailure = '';
    await eventually('job-b\'s rendezvous to be removed', async () => {
      await remover!.remove('job-b').catch((e: Error) => { lastFailure = e.message; });
      return (await admin.exists(`${zkCfg.root}/rendezvous/job-b`)) === false;
    }, { timeoutMs: 30_000, state: () => ({ lastFailure }) });
  });
});
