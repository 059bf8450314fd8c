import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { AuthzToken, connectMetaScheduler, exampleExperiment, ExperimentModel, MetaSchedulerConnection } from '@msched/airavata-thrift';
import { startApi, RunningApi } from '@msched/api';
import type { Config } from '@msched/config';
import { createLogger, Logger } from '@msched/logging';
import { parseCatalogue } from '@msched/provisioner';
import { dbUrlFor, freshDatabase, ensureRunTopics, RUN_ID, testConfig } from './stack';

export const TOKEN = new AuthzToken({ accessToken: '' });

/** Quiet unless MSCHED_TEST_LOGS=1. */
export function testLogger(service: string): Logger {
  return createLogger({ service, silent: process.env.MSCHED_TEST_LOGS !== '1', level: 'debug' });
}

/** The applications tests launch (serial ones run anywhere). */
export const TEST_CATALOGUE = parseCatalogue({
  applications: {
    echo: { executable: '/bin/echo', mpi: 'none', memMbPerRank: 32 },
    cat: { executable: '/bin/cat', mpi: 'none', memMbPerRank: 32 },
  },
});

export interface ApiHarness {
  cfg: Config;
  ds: DataSource;
  api: RunningApi;
  client: MetaSchedulerConnection;
  close(): Promise<void>;
}

/**
 * The API in this process (with its outbox relay) over a database and topics of its own (`scope`
 * names them), so workers other test files leave running in this mocha process never touch them.
 */
export async function startApiHarness(scope: string, env: Record<string, string> = {}): Promise<ApiHarness> {
  const cfg = testConfig({ MSCHED_DATABASE_URL: dbUrlFor(`msched_${RUN_ID}_${scope}`), MSCHED_KAFKA_TOPIC_PREFIX: `msched.${RUN_ID}.${scope}.`, MSCHED_ZK_ROOT: `/msched-test/${RUN_ID}/${scope}`, ...env });
  await ensureRunTopics(cfg);
  const ds = await freshDatabase(cfg);
  const api = await startApi({ config: cfg, ds, logger: testLogger('api'), port: 0, relay: true });
  const client = await connectMetaScheduler({ host: '127.0.0.1', port: api.port });
  return {
    cfg, ds, api, client,
    async close() {
      await client.close();
      await api.close();
      await ds.destroy();
    },
  };
}

/** A serial experiment of the test catalogue with the given inputs. */
export function serialExperiment(app: string, inputs: Array<{ name: string; value: string; type: number; order?: number; arg?: string }>): ExperimentModel {
  const e = exampleExperiment({ totalCPUCount: 1, nodeCount: 1, totalPhysicalMemory: 32, applicationInterfaceId: app });
  e.experimentInputs = inputs.map((i, n) => ({
    name: i.name, value: i.value, type: i.type, inputOrder: i.order ?? n + 1, applicationArgument: i.arg,
    requiredToAddedToCommandLine: true, isRequired: true,
  })) as never;
  e.userConfigurationData!.experimentDataDir = undefined as never;
  return e;
}

/** An HTTP server whose answer to each request the test decides (e.g. 503 twice, then 200). */
export async function scriptedServer(answer: (n: number) => number | 'hang'): Promise<{ url: string; hits: () => number; server: Server; close(): Promise<void> }> {
  let n = 0;
  const hanging: Array<() => void> = [];
  const server = createServer((req, res) => {
    const a = answer(++n);
    if (a === 'hang') { hanging.push(() => res.destroy()); return; }
    res.writeHead(a, { 'Content-Type': 'text/plain' }).end(req.method === 'HEAD' ? undefined : 'input data\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/inputs/data.txt`,
    hits: () => n,
    server,
    close: () => new Promise((r) => { hanging.forEach((h) => h()); server.closeAllConnections(); server.close(() => r()); }),
  };
}

