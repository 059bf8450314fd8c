import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLogger } from '@msched/logging';
import { fetchClusterState } from '@msched/mesos';
import type { LocalCluster } from '@msched/mesos-local';
import { LocalCapacityProvider } from '@msched/provisioner';
import { commandTask, RawScheduler } from '../../helpers/mesos-raw';
import { readSandboxFile, sandboxOf, startTestCluster } from '../mesos-local/fixture';

const REPO = resolve(__dirname, '../../../..');

/**
 * Issue 19: the agents of the local cluster find our runtime no other way than as a fetched URI.
 * The agents the local capacity provider adds (a process each, `cli.js agent`) gave their tasks the
 * provisioner's own PATH: node, and npm run's node_modules/.bin of the checkout.
 */
describe('provisioner capacity: an agent the local provider adds has no node and no checkout for its tasks (integration)', function () {
  this.timeout(90_000);
  let dir: string;
  let cluster: LocalCluster;
  let provider: LocalCapacityProvider;
  let scheduler: RawScheduler | undefined;
  const leaseId = `env-${Date.now().toString(36)}`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'msched-added-agent-'));
    cluster = await startTestCluster({ agents: 0, workDir: join(dir, 'cluster') });
    provider = new LocalCapacityProvider({
      master: cluster.masterUrl, stateDir: join(dir, 'state'), cli: join(REPO, 'packages/mesos-local/dist/cli.js'),
      shape: { cpus: 1, memMb: 512 }, maxAgents: 1, waitSeconds: 30, clusterState: () => fetchClusterState(cluster.masterUrl),
      logger: createLogger({ service: 'added-agent-env', silent: process.env.MSCHED_TEST_LOGS !== '1' }),
    });
  });

  after(async () => {
    scheduler?.close();
    await provider?.release(leaseId).catch(() => undefined);
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a task whose PATH finds no node and leads nowhere into the checkout', async () => {
    // A positive control: the provisioner's own PATH (which the agent inherits) does find node.
    assert.equal(spawnSync('sh', ['-c', 'command -v node'], { stdio: 'ignore' }).status, 0);
    const lease = await provider.acquire({ leaseId, agents: 1, perRank: { cpus: 1, memMb: 128 }, role: '*' });
    assert.equal(lease.agentIds.length, 1);
    scheduler = await RawScheduler.subscribe(cluster.masterUrl);
    const offer = await scheduler.nextOffer();
    const script = 'echo "node=$(command -v node || echo none)"; echo "PATH=$PATH"; for d in $(echo "$PATH" | tr : " "); do for f in "$d"/*; do readlink -f "$f"; done; done | grep -c "^$CHECKOUT/" || true; env';
    await scheduler.launch(offer, [commandTask(offer, 'probe', { value: script, environment: { variables: [{ name: 'CHECKOUT', value: REPO }] } })]);
    await scheduler.waitState('probe', 'TASK_FINISHED', 30_000);
    const out = await readSandboxFile(cluster.masterUrl, `${await sandboxOf(cluster.masterUrl, scheduler.frameworkId, 'probe')}/stdout`);
    const lines = out.split('\n');
    assert.equal(lines[0], 'node=none', out);
    assert.ok(!lines[1].includes(REPO), `the task's PATH is in the checkout: ${lines[1]}`);
    assert.equal(lines[2], '0', `programs on the task's PATH lead into the checkout:\n${out}`);
    const intoCheckout = lines.slice(3).filter((l) => l.includes(`=${REPO}/`) && !l.startsWith('CHECKOUT='));
    assert.deepEqual(intoCheckout, [], 'no inherited variable names a path in the checkout');
  });
});
