import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDispatcher, DispatcherHandle } from '@msched/dispatcher';
import { startLocalCluster, LocalCluster, LocalClusterOptions } from '@msched/mesos-local';
import { parseCatalogue, startProvisioner, ProvisionerHandle } from '@msched/provisioner';
import { eventually } from './eventually';
import { startApiHarness, ApiHarness, testLogger } from './pipeline';

const REPO = join(__dirname, '../../..');

export interface WholePipeline extends ApiHarness {
  cluster: LocalCluster;
  prov: ProvisionerHandle;
  disp: DispatcherHandle;
  /** Scratch folder of this pipeline (compiled programs, data root, cluster work dir). */
  dir: string;
  dataRoot: string;
  stop(): Promise<void>;
}

/** Compiles the demo's MPI program (deploy/local/demo/mpi_pi.c) with a flavour's mpicc into `dir`. */
export function compileDemoPi(dir: string, flavour: 'openmpi' | 'mpich'): string {
  const out = join(dir, `pi-${flavour}`);
  execFileSync(`mpicc.${flavour}`, ['-O1', '-o', out, join(REPO, 'deploy/local/demo/mpi_pi.c')]);
  return out;
}

/**
 * The whole system in this process, as the demo runs it: a local Mesos cluster, the API (own
 * database and topics per `scope`), the provisioner and a dispatcher that leads and is subscribed.
 * `applications` is the catalogue; `env` adds settings.
 */
export async function startWholePipeline(scope: string, o: {
  cluster: LocalClusterOptions;
  applications: (dir: string) => Record<string, unknown>;
  env?: Record<string, string>;
}): Promise<WholePipeline> {
  const dir = mkdtempSync(join(tmpdir(), `msched-${scope}-`));
  const dataRoot = join(dir, 'data');
  // Agents with nothing of ours installed (no node on PATH): every task fetches the runtime.
  const cluster = await startLocalCluster({ port: 0, workDir: join(dir, 'cluster'), logger: testLogger('mesos-local'), tasksWithoutNode: true, ...o.cluster });
  const h = await startApiHarness(scope, {
    MSCHED_MESOS_MASTER: cluster.masterUrl, MSCHED_STATE_DIR: dir, MSCHED_DATA_ROOT: dataRoot,
    MSCHED_PROVISIONER_HEALTH_PORT: '0', MSCHED_DISPATCHER_HEALTH_PORT: '0', MSCHED_RUNTIME_PORT: '0', MSCHED_PROVISIONER_RUN_PUBLISHERS: 'false',
    // The local cluster's agents share this machine and have names that do not resolve.
    MSCHED_MPI_NETWORK_INTERFACES: 'lo', MSCHED_MPI_OPENMPI_BTL: 'tcp,self', MSCHED_MPI_LAUNCHER_ADDRESS: '127.0.0.1',
    MSCHED_OUTBOX_POLL_INTERVAL_MS: '100', MSCHED_DISPATCHER_OFFER_HOLD_SECONDS: '3',
    ...o.env,
  });
  const prov = await startProvisioner(h.cfg, { logger: testLogger('provisioner'), catalogue: parseCatalogue({ applications: o.applications(dir) }) });
  const disp = await startDispatcher(h.cfg, { logger: testLogger('dispatcher') });
  await eventually('the dispatcher to lead and subscribe', () => disp.leader()?.isSubscribed || undefined);
  return {
    ...h, cluster, prov, disp, dir, dataRoot,
    async stop() {
      // Each part stops even when a test already stopped another (e.g. the provisioner, to kill it).
      for (const part of [() => disp.stop(), () => prov.stop(), () => h.close(), () => cluster.stop()]) await part().catch(() => undefined);
    },
  };
}

/**
 * Waits until the process reaches COMPLETED, FAILED or CANCELED and returns which. A timeout says
 * where the process, its jobs and their tasks stood (a CI log is all there is to go on).
 */
export function processEnds(h: { ds: WholePipeline['ds'] }, processId: string, timeoutMs = 120_000): Promise<string> {
  let polls = 0;
  let where: unknown;
  return eventually(`process ${processId} to end`, async () => {
    const [r] = await h.ds.query('SELECT state FROM processes WHERE id = $1', [processId]);
    if (polls++ % 40 === 0) where = await whereProcessStands(h.ds, processId).catch((e: Error) => `could not read it: ${e.message}`);
    return ['COMPLETED', 'FAILED', 'CANCELED'].includes(r?.state) ? (r.state as string) : undefined;
  }, { timeoutMs, state: () => where });
}

async function whereProcessStands(ds: WholePipeline['ds'], processId: string): Promise<unknown> {
  const [process] = await ds.query('SELECT state FROM processes WHERE id = $1', [processId]);
  const jobs = await ds.query('SELECT id, state, attempt, wait_reason, failure_kind, launched_at, settled_at FROM jobs WHERE process_id = $1 ORDER BY attempt', [processId]);
  const tasks = await ds.query('SELECT t.id, t.state, t.agent_id, t.message FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE j.process_id = $1', [processId]);
  return { process, jobs, tasks };
}
