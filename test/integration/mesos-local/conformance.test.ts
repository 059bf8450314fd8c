import { randomUUID } from 'node:crypto';
import { Zk } from '@msched/zk';
import { createLogger } from '@msched/logging';
import { LocalCluster, startLocalCluster } from '@msched/mesos-local';
import { requireStack, testConfig } from '../../helpers/stack';
import { describeMasterConformance } from './conformance/suite';
import { testLogLevel } from './fixture';

/** The conformance suite against the local cluster, with ZooKeeper leader election on. */
describe('mesos-local: the local cluster passes the v1 master conformance suite', function () {
  const cfg = testConfig();
  const zkPath = `${cfg.zookeeper.root}/mesos-conformance-${randomUUID().slice(0, 8)}`;
  let cluster: LocalCluster;

  before(async function () {
    await requireStack('zookeeper');
    cluster = await startLocalCluster({
      agents: 3,
      cpus: 2,
      mem: 1024,
      port: 0,
      portsFrom: 32000 + Math.floor(Math.random() * 20000),
      // A non-ASCII attribute: RecordIO lengths must count bytes, not characters.
      attributes: 'rack:r%i;site:Zürich',
      zk: `zk://${cfg.zookeeper.connect.join(',')}${zkPath}`,
      timing: { allocationIntervalMs: 50, heartbeatIntervalSeconds: 0.3 },
      statusUpdateRetry: { baseMs: 200, maxMs: 2000 },
      defaultKillGraceMs: 500,
      logger: createLogger({ service: 'mesos-local-test', level: testLogLevel() }),
    });
  });

  after(async () => {
    await cluster?.stop();
    const zk = await Zk.connect(cfg.zookeeper.connect);
    await zk.removeRecursive(zkPath).finally(() => zk.close());
  });

  describeMasterConformance('local cluster (3 agents, ZooKeeper)', () => ({
    masterUrl: cluster.masterUrl,
    role: 'mpi',
    updateRetryMs: 200,
    allocationIntervalMs: 50,
  }));
});
