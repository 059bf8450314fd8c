import type { DataSource } from 'typeorm';
import { AuthzToken, connectMetaScheduler, MetaSchedulerConnection, MetaSchedulerClientOptions } from '@msched/airavata-thrift';
import { startApi, RunningApi } from '@msched/api';
import type { Config } from '@msched/config';
import { createLogger } from '@msched/logging';
import { ownDatabase } from '../../helpers/own-database';

export interface TestApi {
  cfg: Config;
  ds: DataSource;
  api: RunningApi;
  connect(opts?: Partial<MetaSchedulerClientOptions>): Promise<MetaSchedulerConnection>;
  close(): Promise<void>;
}

/** An in-process API on a free port over its own database; `relay: false` leaves the outbox unsent. */
export async function startTestApi(db: string, env: Record<string, string> = {}, opts: { relay?: boolean } = {}): Promise<TestApi> {
  const { cfg, ds } = await ownDatabase(db, env);
  const logger = createLogger({ service: 'api-test', silent: process.env.MSCHED_TEST_LOGS !== '1', level: 'debug' });
  const api = await startApi({ config: cfg, ds, logger, port: 0, relay: opts.relay ?? false });
  const conns: MetaSchedulerConnection[] = [];
  return {
    cfg, ds, api,
    async connect(o = {}) {
      const c = await connectMetaScheduler({ host: '127.0.0.1', port: api.port, transport: cfg.api.transport, ...o });
      conns.push(c);
      return c;
    },
    async close() {
      await Promise.all(conns.map((c) => c.close()));
      await api.close();
      await ds.destroy();
    },
  };
}

export const NO_TOKEN = new AuthzToken({ accessToken: '' });

export async function rowCounts(ds: DataSource, experimentId: string): Promise<Record<string, number>> {
  const [r] = await ds.query(`SELECT
    (SELECT count(*) FROM experiments WHERE id = $1)::int AS experiments,
    (SELECT count(*) FROM processes WHERE experiment_id = $1)::int AS processes,
    (SELECT count(*) FROM jobs WHERE experiment_id = $1)::int AS jobs,
    (SELECT count(*) FROM status_history WHERE experiment_id = $1)::int AS history,
    (SELECT count(*) FROM outbox WHERE message_key = $1)::int AS outbox`, [experimentId]);
  return r;
}

export const NOTHING = { experiments: 0, processes: 0, jobs: 0, history: 0, outbox: 0 };
export const ONE_LAUNCH = { experiments: 1, processes: 1, jobs: 1, history: 4, outbox: 5 };
