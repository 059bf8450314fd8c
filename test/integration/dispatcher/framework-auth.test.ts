import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { startDispatcher, type DispatcherHandle } from '@msched/dispatcher';
import type { LocalCluster } from '@msched/mesos-local';
import { requireStack } from '../../helpers/stack';
import { eventually, jobReaches, prepareSuite, removeZkRoot, seedJob, shellApp, startCluster, suiteConfig } from './support';

/**
 * Done when: the local master with framework authentication on refuses a dispatcher without the
 * right secret (401) and accepts it with the secret. The whole dispatcher, its secret from a file.
 */
describe('dispatcher: framework authentication to the masters (HTTP Basic, secret from a file)', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'msched-mesos-secret-'));
  writeFileSync(join(dir, 'right'), 'framework-secret\n', { mode: 0o600 });
  writeFileSync(join(dir, 'wrong'), 'not-the-secret\n', { mode: 0o600 });
  const cfgWith = (file: string) => suiteConfig('dauth', { MSCHED_MESOS_PRINCIPAL: 'airavata', MSCHED_MESOS_SECRET_FILE: join(dir, file) });
  let ds: DataSource;
  let cluster: LocalCluster;
  let dispatcher: DispatcherHandle | undefined;

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    ds = await prepareSuite(cfgWith('right'));
    cluster = await startCluster(cfgWith('right'), { agents: 1, cpus: 2, frameworkCredentials: new Map([['airavata', 'framework-secret']]) });
  });
  afterEach(async () => {
    await dispatcher?.stop();
    dispatcher = undefined;
  });
  after(async () => {
    await cluster?.stop();
    await ds?.destroy();
    await removeZkRoot(cfgWith('right')).catch(() => undefined);
  });

  it('stays unsubscribed with a wrong secret: the master registers no framework', async () => {
    dispatcher = await startDispatcher(cfgWith('wrong'));
    await eventually('the dispatcher to lead', () => (dispatcher!.leader() ? true : undefined));
    await new Promise((r) => setTimeout(r, 2000)); // several SUBSCRIBE attempts (reconnect backoff 100 ms .. 1 s)
    assert.equal(dispatcher.leader()?.isSubscribed, false);
    assert.equal(cluster.masters[0].core.snapshot().frameworks.length, 0);
  });

  it('subscribes with the secret from the file and runs a job', async () => {
    dispatcher = await startDispatcher(cfgWith('right'));
    await eventually('the dispatcher to lead and subscribe', () => (dispatcher!.leader()?.isSubscribed ? true : undefined));
    const [fw] = cluster.masters[0].core.snapshot().frameworks;
    assert.equal(fw.info.principal, 'airavata');
    const job = await seedJob(ds, { ranks: 1, mpi: 'none', argv: shellApp('true') });
    await jobReaches(ds, job.jobId, 'COMPLETE');
  });
});
