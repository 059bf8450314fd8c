#!/usr/bin/env node
/**
 * `npm run demo`: brings the local stack up (PostgreSQL, ZooKeeper, Kafka, the local Mesos-compatible
 * cluster), starts the API, provisioner and dispatcher, launches an MPI experiment over Thrift as
 * Airavata's orchestrator would, follows it live and prints the result.
 *
 * The operator console runs beside them: its URL is printed, and its login token is in a file
 * (never printed). On a terminal, or with --hold, the services stay up after the job until Enter,
 * so the job can be looked at in the console.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthzToken, connectMetaScheduler } from '@msched/airavata-thrift';
import { loadConfig } from '@msched/config';
import { waitForEnter, writeConsoleToken } from './console-access';
import { demoExperiment } from './experiment';
import { portOpen, RunningService, startService, stopServices, waitFor } from '@msched/devstack';
import { demoServiceEnv } from './service-env';
import { c, info, REPO, STATE, startPipeline, step } from './terminal';
import { followHistory } from './follow-history';
import { workflowDemo } from './workflow-demo';

const DEMO = join(STATE, 'demo');

function need(cmd: string, pkg: string): void {
  const r = spawnSync('sh', ['-c', 'command -v "$0"', cmd]);
  if (r.status !== 0) throw new Error(`${cmd} is missing: install ${pkg} (Debian: apt-get install ${pkg}; .ci/run installs everything)`);
}

async function main(): Promise<number> {
  console.log(c('1', 'Airavata meta-scheduler demo: an MPI experiment on a Mesos cluster, launched over Thrift'));

  step('Installing what the demo needs (Debian packages the machine lacks)');
  const deps = spawnSync('bash', [join(REPO, 'deploy/local/install-deps.sh')], { stdio: 'inherit' });
  if (deps.status !== 0) throw new Error('could not install the packages the demo needs (see above)');
  need('java', 'openjdk-17-jre-headless');
  need('mvn', 'maven');
  need('mpicc.openmpi', 'libopenmpi-dev');
  need('mpirun.openmpi', 'openmpi-bin');
  info('java, maven, OpenMPI: present');

  step('Bringing the local stack up (PostgreSQL, ZooKeeper, Kafka, local Mesos cluster with 4 agents)');
  const up = spawnSync('bash', [join(REPO, 'deploy/local/stack.sh'), 'up'], { stdio: 'inherit' });
  if (up.status !== 0) throw new Error('the local stack did not come up (see above)');

  step('Compiling the MPI application with mpicc (OpenMPI)');
  mkdirSync(DEMO, { recursive: true });
  const binary = join(DEMO, 'mpi_pi');
  execFileSync('mpicc.openmpi', ['-O2', '-o', binary, join(REPO, 'deploy/local/demo/mpi_pi.c')], { stdio: 'inherit' });
  const catalogue = join(DEMO, 'apps.json');
  writeFileSync(catalogue, JSON.stringify({ applications: { 'mpi-pi': { description: 'pi by MPI_Reduce (demo)', executable: binary, mpi: 'openmpi', memMbPerRank: 128 } } }, null, 2));
  info(`${binary}\n    catalogue: ${catalogue} (application "mpi-pi" → OpenMPI)`);

  const env = demoServiceEnv(process.env, { state: STATE, catalogue, dataRoot: join(DEMO, 'data') });
  const cfg = loadConfig(env);
  const services: RunningService[] = [];
  const logs = join(DEMO, 'logs');
  try {
    step('Starting the services');
    await startPipeline(cfg, env, logs, services);
    const consoleUrl = `http://${cfg.console.host}:${cfg.console.port}/`;
    if (await portOpen(cfg.console.port, cfg.console.host)) info(`port ${cfg.console.port} is in use: no console this time (set MSCHED_CONSOLE_PORT)`);
    else services.push(startService(REPO, 'console', 'services/console/dist/main.js', env, logs));
    await waitFor(`the Thrift API on port ${cfg.api.port}`, () => portOpen(cfg.api.port), services, 60000);
    for (const s of services) info(`${s.name.padEnd(12)} pid ${s.child.pid}, log ${s.log}`);
    if (services.some((s) => s.name === 'console')) {
      await waitFor(`the console on port ${cfg.console.port}`, () => portOpen(cfg.console.port, cfg.console.host), services, 60000);
      const tokenFile = writeConsoleToken(DEMO, env.MSCHED_API_AUTH_SECRET!);
      info(`operator console: ${c('1', consoleUrl)} (open it now to watch the job live)`);
      info(`  log in with the token in ${tokenFile} (made for this run, readable by you only)`);
    }

    step('Launching the experiment over Thrift (TBinaryProtocol, buffered), as Airavata\'s orchestrator does');
    const conn = await connectMetaScheduler({ host: cfg.api.host, port: cfg.api.port, transport: cfg.api.transport });
    const experiment = demoExperiment('demo-gateway');
    const token = new AuthzToken({ accessToken: cfg.api.authSecret, claimsMap: { gatewayID: 'demo-gateway', userName: 'demo-user' } });
    const version = await conn.client.getAPIVersion();
    await conn.client.validateExperiment(token, experiment);
    const ids = await conn.client.launchExperiment(token, experiment);
    await conn.close();
    info(`API version ${version}`);
    info(`experiment ${experiment.experimentId}\n    process    ${ids.processId}\n    job        ${ids.jobId}`);
    info('4 ranks, 2 nodes (2 ranks per agent), argv: [steps, label] where label = "demo; rm -rf / $(whoami)"');

    step('Live progress (status history as it is committed)');
    const outcome = await follow(cfg.database.url, experiment.experimentId!, services);
    if (services.some((s) => s.name === 'console')) await showInConsole(consoleUrl, ids.jobId, cfg.api.authSecret);

    step('Result');
    const dataDir = join(DEMO, 'data', 'demo-gateway', experiment.experimentId!);
    const stdout = join(dataDir, 'stdout');
    if (existsSync(stdout)) {
      info(`job stdout (collected from the launcher task's sandbox into ${dataDir}):`);
      for (const line of readFileSync(stdout, 'utf8').trimEnd().split('\n')) info(`  ${c('2', '|')} ${line}`);
    }
    const result = join(dataDir, 'result.txt');
    if (existsSync(result)) info(`declared output "result": ${result}\n      ${readFileSync(result, 'utf8').trim()}`);
    info('');
    info('look further:');
    info(`  npx msched jobs show ${ids.jobId}`);
    info(`  npx msched events tail --experiment ${experiment.experimentId} --from-beginning`);
    info(`  npm run console   (the operator console on its own, after the demo stopped its services)`);
    info(`  service logs: ${logs}/`);
    if (outcome === 'COMPLETED') console.log(`\n${c('1;32', 'SUCCESS')}: the MPI experiment COMPLETED on the local Mesos cluster.`);
    else console.log(`\n${c('1;31', 'FAILURE')}: the experiment ended ${outcome}.`);
    if (services.some((s) => s.name === 'console') && (process.stdin.isTTY || process.argv.includes('--hold'))) {
      info(`the console stays up at ${consoleUrl}jobs/${encodeURIComponent(ids.jobId)}: press Enter to stop the services`);
      await waitForEnter();
    }
    return outcome === 'COMPLETED' ? 0 : 1;
  } finally {
    step('Stopping the services (the stack stays up: npm run stack:down stops it)');
    await stopServices(services);
  }
}

/** Asks the console's JSON API for the demo's job, as its page does, and says what it shows. */
async function showInConsole(url: string, jobId: string, token: string): Promise<void> {
  try {
    const r = await fetch(new URL(`/api/jobs/${encodeURIComponent(jobId)}`, url), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    const body = await r.json() as { job?: { state: string; experimentState: string }; tasks?: Array<{ hostname: string | null; ranks: number[] }> };
    if (!r.ok || !body.job) throw new Error(`HTTP ${r.status}`);
    const where = (body.tasks ?? []).map((t) => `${t.hostname}: ranks ${t.ranks.join(',')}`).join('; ');
    info(`console shows the job ${body.job.state}, experiment ${body.job.experimentState} (${where}): ${url}jobs/${encodeURIComponent(jobId)}`);
  } catch (e) {
    info(`the console could not show the job: ${(e as Error).message}`);
  }
}

/** Prints each status change of the experiment as it lands in the job DB; resolves with the final process state. */
function follow(dbUrl: string, experimentId: string, services: RunningService[]): Promise<string> {
  let placementShown = false;
  return followHistory(dbUrl, experimentId, services, {
    what: 'the experiment',
    timeoutMs: 300_000,
    print: (r, sinceS) => info(`${c('2', `+${sinceS.toFixed(1).padStart(6)}s`)}  ${r.entity_type.padEnd(10)} ${r.state.padEnd(22)}${r.reason ? c('2', ` ${r.reason}`) : ''}`),
    endOf: (r) => (r.entity_type === 'process' && ['COMPLETED', 'FAILED', 'CANCELED'].includes(r.state) ? r.state : undefined),
    afterBatch: async (db) => {
      if (placementShown) return;
      const { rows: tasks } = await db.query<{ id: string; hostname: string; ranks: number[]; state: string }>(
        `SELECT t.id, t.hostname, t.ranks, t.state FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE j.experiment_id = $1 ORDER BY t.id`, [experimentId]);
      if (tasks.length && tasks.every((x) => x.state === 'TASK_RUNNING')) {
        placementShown = true;
        info(c('1', 'gang running, ranks per agent:'));
        for (const x of tasks) info(`    ${x.hostname.padEnd(8)} ranks ${x.ranks.join(',')}  (task ${x.id})`);
      }
    },
  });
}

(process.argv.includes('--workflow') ? workflowDemo() : main()).then((code) => process.exit(code), (e) => {
  console.error(`\n${c('1;31', 'FAILURE')}: ${(e as Error).message}`);
  process.exit(1);
});
