import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { startDispatcher, type DispatcherHandle } from '@msched/dispatcher';
import { requireStack } from '../../helpers/stack';
import { testLogger } from '../../helpers/pipeline';
import { eventually, prepareSuite, removeZkRoot, suiteConfig, ZK } from './support';
import { freePort } from '@msched/devstack';
import { lateServer, type LateServer } from '../../helpers/late-server';


/**
 * Issue 14: a service restarted while one of its servers is down must wait for it (and say so on
 * /readyz) rather than exit. The dispatcher here starts before ZooKeeper answers.
 */
describe('dispatcher: start-up while ZooKeeper does not answer yet', function () {
  this.timeout(120_000);
  let ds: DataSource;
  let zkPort: number;
  let healthPort: number;
  let late: LateServer;
  let starting: Promise<DispatcherHandle> | undefined;
  let cfg: ReturnType<typeof suiteConfig>;

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    zkPort = await freePort();
    healthPort = await freePort();
    cfg = suiteConfig('dstartup', { MSCHED_ZK_CONNECT: `127.0.0.1:${zkPort}`, MSCHED_DISPATCHER_HEALTH_PORT: String(healthPort) });
    ds = await prepareSuite(cfg);
    late = lateServer(zkPort, ZK);
  });

  after(async () => {
    const d = await starting?.catch(() => undefined);
    await d?.stop();
    await late?.close();
    await ds?.destroy();
    await removeZkRoot(suiteConfig('dstartup')).catch(() => undefined);
  });

  it('stays up, says on /readyz that it waits for ZooKeeper, and starts once ZooKeeper answers', async () => {
    let failed: Error | undefined;
    starting = startDispatcher(cfg, { logger: testLogger('dispatcher') });
    starting.catch((e: Error) => { failed = e; });
    const waiting = await eventually('/readyz to say the dispatcher waits for ZooKeeper', async () => {
      if (failed) throw new Error(`start-up failed: ${failed.message}`);
      const r = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
      const body = (await r.json()) as { checks: Record<string, string>; details?: Record<string, string> };
      return r.status === 503 && /waiting for ZooKeeper/.test(body.details?.startup ?? '') ? body : undefined;
    }, 60_000).catch((e: Error) => assert.fail(failed ? `start-up failed: ${failed.message}` : e.message));
    assert.equal(waiting.checks.database, 'ok');
    assert.equal(waiting.checks.zookeeper, 'failing');
    // Longer than one connection attempt (10 s): it did not give up.
    await new Promise((r) => setTimeout(r, 12_000));
    assert.equal(failed, undefined, `start-up failed: ${failed?.message}`);

    await late.open();
    const d = await starting;
    // The handle comes once the replica stands for election; the rest of start-up (Kafka) follows.
    const body = await eventually('start-up to finish', async () => {
      const r = await fetch(`http://127.0.0.1:${d.healthPort}/readyz`);
      const b = (await r.json()) as { checks: Record<string, string> };
      return b.checks.startup === 'ok' ? b : undefined;
    }, 60_000);
    assert.equal(body.checks.zookeeper, 'ok');
  });
});
