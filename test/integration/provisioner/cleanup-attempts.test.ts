import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createLogger } from '@msched/logging';
import { cleanupStage, rendezvousRemover, StaticCapacityProvider, type RendezvousRemover } from '@msched/provisioner';
import { Zk } from '@msched/zk';
import { freshDatabase, requireStack, RUN_ID, testConfig } from '../../helpers/stack';

/**
 * Found by the 30-minute chaos run: a gang retried after its agent was lost left its first
 * attempt's rendezvous in ZooKeeper. The dispatcher removes an attempt's rendezvous once, when the
 * attempt settles, and ZooKeeper was away at that moment; the provisioner's cleanup, which is
 * retried until done, removed only the last attempt's.
 */
describe('provisioner cleanup: the rendezvous of every attempt (integration)', function () {
  this.timeout(60_000);
  const zkCfg = { ...testConfig().zookeeper, root: `/msched-test/${RUN_ID}/cleanup-attempts` };
  const logger = createLogger({ service: 'cleanup-attempts', silent: process.env.MSCHED_TEST_LOGS !== '1' });
  let ds: DataSource;
  let admin: Zk;
  let remover: RendezvousRemover;

  before(async () => {
    await requireStack('postgres', 'zookeeper');
    ds = await freshDatabase();
    admin = await Zk.connect(zkCfg.connect);
    remover = rendezvousRemover(zkCfg);
  });
  after(async () => {
    remover?.close();
    await admin?.removeRecursive(zkCfg.root).catch(() => undefined);
    admin?.close();
    await ds?.destroy();
  });

  it('removes the first attempt\'s rendezvous too, and leaves other processes\' alone', async () => {
    const experimentId = `exp-${randomUUID()}`;
    const processId = `proc-${randomUUID()}`;
    const [first, second, other] = [`job-${randomUUID()}`, `job-${randomUUID()}-a2`, `job-${randomUUID()}`];
    await ds.query(`INSERT INTO experiments (id, gateway_id, user_name, project_id, name, payload_hash, model, state) VALUES ($1,'gw','u','p','n','h','{}','EXECUTING')`, [experimentId]);
    await ds.query(`INSERT INTO processes (id, experiment_id, state, resource_schedule, compute_resource_id, model) VALUES ($1,$2,'POST_PROCESSING','{}','mesos','{}')`, [processId, experimentId]);
    await ds.query(`INSERT INTO processes (id, experiment_id, state, resource_schedule, compute_resource_id, model) VALUES ($1,$2,'EXECUTING','{}','mesos','{}')`, [`${processId}-other`, experimentId]);
    await ds.query(`INSERT INTO jobs (id, process_id, experiment_id, task_id, attempt, state) VALUES ($1,$2,$3,'task-1',1,'FAILED'), ($4,$2,$3,'task-1',2,'COMPLETE'), ($5,$6,$3,'task-2',1,'ACTIVE')`,
      [first, processId, experimentId, second, other, `${processId}-other`]);
    for (const [job, attempt] of [[first, 1], [second, 2], [other, 1]] as const) await admin.mkdirp(`${zkCfg.root}/rendezvous/${job}/${attempt}/members`);

    const stage = cleanupStage({ provider: new StaticCapacityProvider(), removeRendezvous: (id) => remover.remove(id) });
    await stage.run({ work: { stage: 'cleanup', experimentId, processId, jobId: second, gatewayId: 'gw', taskId: 'task-1' }, attempt: 1, ds, logger });

    assert.equal(await admin.exists(`${zkCfg.root}/rendezvous/${second}`), false, 'the last attempt\'s');
    assert.equal(await admin.exists(`${zkCfg.root}/rendezvous/${first}`), false, 'the first attempt\'s');
    assert.equal(await admin.exists(`${zkCfg.root}/rendezvous/${other}`), true, 'another process\'s job still runs');
  });
});
