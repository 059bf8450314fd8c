import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { AuthzToken, connectMetaScheduler, exampleExperiment, ExperimentModel, MetaSchedulerConnection } from '@msched/airavata-thrift';
import type { Config } from '@msched/config';
import { ensureRunTopics, requireStack } from '../../helpers/stack';
import { ownDatabase } from '../../helpers/own-database';
import { NOTHING, ONE_LAUNCH, rowCounts } from './harness';
import { freePort } from '@msched/devstack';

const MAIN = resolve(__dirname, '../../../../services/api/dist/main.js');
const token = new AuthzToken({ accessToken: 'dev' });

/** The API as its own process (services/api/dist/main.js), as it runs in production. */
async function spawnApi(cfg: Config, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env, MSCHED_ENV: 'test', MSCHED_DATABASE_URL: cfg.database.url, MSCHED_API_PORT: String(port), MSCHED_API_HEALTH_PORT: '0',
      MSCHED_KAFKA_TOPIC_PREFIX: cfg.kafka.topicPrefix, MSCHED_LOG_LEVEL: 'error', MSCHED_API_AUTH_MODE: 'none',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => { stderr += d; });
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`the API exited: ${stderr}`);
    const up = await new Promise<boolean>((ok) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); ok(true); });
      s.on('error', () => ok(false));
    });
    if (up) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the API did not listen on ${port}: ${stderr}`);
}

describe('killing the API in the middle of launches (integration, own process)', function () {
  let cfg: Config;
  let ds: DataSource;
  let child: ChildProcess | undefined;

  before(async () => {
    await requireStack('postgres', 'kafka');
    ({ cfg, ds } = await ownDatabase('api_crash'));
    await ensureRunTopics(cfg);
  });
  after(async () => {
    child?.kill('SIGKILL');
    await ds?.destroy();
  });

  it('leaves every launch either whole or absent, and a relaunch completes the missing ones', async () => {
    const port = await freePort();
    child = await spawnApi(cfg, port);
    const exited = new Promise((r) => child?.once('exit', r));
    const conns: MetaSchedulerConnection[] = await Promise.all(Array.from({ length: 8 }, () => connectMetaScheduler({ host: '127.0.0.1', port })));
    const sent = new Map<string, ExperimentModel>();
    const acked = new Set<string>();
    let killedWithPending = 0;
    let stop = false;
    const clients = conns.map(async (c) => {
      while (!stop) {
        const exp = exampleExperiment();
        sent.set(exp.experimentId as string, exp);
        try {
          await c.client.launchExperiment(token, exp);
          acked.add(exp.experimentId as string);
        } catch {
          return; // the process is gone
        }
      }
    });
    while (acked.size < 40) await new Promise((r) => setTimeout(r, 5));
    killedWithPending = sent.size - acked.size;
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(clients);
    await exited;
    assert.ok(killedWithPending > 0, 'launches were in flight when the process died');

    let whole = 0;
    for (const id of sent.keys()) {
      const counts = await rowCounts(ds, id);
      if (acked.has(id)) assert.deepEqual(counts, ONE_LAUNCH, `acknowledged ${id}`);
      else assert.ok(JSON.stringify(counts) === JSON.stringify(ONE_LAUNCH) || JSON.stringify(counts) === JSON.stringify(NOTHING), `${id}: ${JSON.stringify(counts)}`);
      if (counts.experiments) whole++;
    }
    assert.ok(whole >= acked.size);

    // Airavata retries what it got no answer for: each is launched exactly once in the end.
    child = await spawnApi(cfg, port);
    const conn = await connectMetaScheduler({ host: '127.0.0.1', port });
    for (const [id, exp] of sent) {
      if (acked.has(id)) continue;
      await conn.client.launchExperiment(token, exp);
      assert.deepEqual(await rowCounts(ds, id), ONE_LAUNCH);
    }
    await conn.close();
    const stopped = new Promise((r) => child?.once('exit', r));
    child.kill('SIGTERM');
    assert.equal(await stopped, 0, 'a SIGTERM shuts the API down cleanly');
    child = undefined;
  });
});
