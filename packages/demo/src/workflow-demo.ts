/**
 * `npm run demo -- --workflow`: the same stack and services as the MPI demo, then a WORKFLOW
 * experiment launched over Thrift: a serial pre-processing step writes a mesh, a 4-rank MPI solve
 * on two agents reads it, a serial post-processing step reads the solve's result
 * (docs/workflows.md). Follows the workflow live and draws its DAG with `msched workflow show`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthzToken, connectMetaScheduler, exampleWorkflowExperiment } from '@msched/airavata-thrift';
import { loadConfig } from '@msched/config';
import { portOpen, RunningService, stopServices, waitFor } from '@msched/devstack';
import { followHistory } from './follow-history';
import { demoServiceEnv } from './service-env';
import { c, info, REPO, STATE, startPipeline, step } from './terminal';

const DEMO = join(STATE, 'demo-workflow');

function script(name: string, body: string): string {
  const path = join(DEMO, name);
  writeFileSync(path, `#!/bin/sh\nset -e\n${body}\n`, { mode: 0o755 });
  return path;
}

export async function workflowDemo(): Promise<number> {
  console.log(c('1', 'Airavata meta-scheduler demo: a WORKFLOW experiment (pre-process -> MPI solve -> post-process), launched over Thrift'));

  step('Installing what the demo needs and bringing the local stack up');
  if (spawnSync('bash', [join(REPO, 'deploy/local/install-deps.sh')], { stdio: 'inherit' }).status !== 0) throw new Error('could not install the packages the demo needs (see above)');
  if (spawnSync('bash', [join(REPO, 'deploy/local/stack.sh'), 'up'], { stdio: 'inherit' }).status !== 0) throw new Error('the local stack did not come up (see above)');

  step('The three applications');
  mkdirSync(DEMO, { recursive: true });
  const pi = join(DEMO, 'mpi_pi');
  execFileSync('mpicc.openmpi', ['-O2', '-o', pi, join(REPO, 'deploy/local/demo/mpi_pi.c')], { stdio: 'inherit' });
  const catalogue = join(DEMO, 'apps.json');
  writeFileSync(catalogue, JSON.stringify({
    applications: {
      prep: { description: 'pre-processing: writes mesh.txt', executable: script('prep.sh', 'echo "mesh-of-size-$1" > mesh.txt\necho "wrote a mesh of size $1"'), mpi: 'none', memMbPerRank: 32 },
      solver: { description: '4-rank MPI solve labelled with the mesh', executable: script('solve.sh', `exec ${pi} 20000000 "$(cat "$1")"`), mpi: 'openmpi', memMbPerRank: 128 },
      post: { description: 'post-processing of result.txt', executable: script('post.sh', 'echo "post-processed: $(cat "$1")"'), mpi: 'none', memMbPerRank: 32 },
    },
  }, null, 2));
  info(`catalogue ${catalogue}: prep (serial), solver (OpenMPI), post (serial)`);

  const env = demoServiceEnv(process.env, { state: STATE, catalogue, dataRoot: join(DEMO, 'data') });
  const cfg = loadConfig(env);
  const services: RunningService[] = [];
  const logs = join(DEMO, 'logs');
  try {
    step('Starting the services');
    await startPipeline(cfg, env, logs, services);
    await waitFor(`the Thrift API on port ${cfg.api.port}`, () => portOpen(cfg.api.port), services, 60000);

    step('Launching the WORKFLOW experiment over Thrift (ExperimentModel field 20)');
    const experiment = exampleWorkflowExperiment({ gatewayId: 'demo-gateway' });
    const id = experiment.experimentId as string;
    const conn = await connectMetaScheduler({ host: cfg.api.host, port: cfg.api.port, transport: cfg.api.transport });
    const token = new AuthzToken({ accessToken: cfg.api.authSecret, claimsMap: { gatewayID: 'demo-gateway', userName: 'demo-user' } });
    await conn.client.validateExperiment(token, experiment);
    const ids = await conn.client.launchExperiment(token, experiment);
    await conn.close();
    info(`experiment ${id}\n    first application's process ${ids.processId}, job ${ids.jobId}`);

    step('Live progress (workflow, application and experiment states as they are committed)');
    const outcome = await follow(cfg.database.url, id, services, env);

    step('The DAG at the end (msched workflow show)');
    showDag(id, env);
    step('Result');
    const dir = join(DEMO, 'data', 'demo-gateway', id, 'applications');
    for (const [app, file] of [['solve', 'stdout'], ['solve', 'result.txt'], ['post', 'stdout']]) {
      const p = join(dir, app, file);
      if (!existsSync(p)) continue;
      info(`${app}/${file}:`);
      for (const line of readFileSync(p, 'utf8').trimEnd().split('\n')) info(`  ${c('2', '|')} ${line}`);
    }
    if (outcome === 'COMPLETED') {
      console.log(`\n${c('1;32', 'SUCCESS')}: the workflow COMPLETED: three steps in order, the solve as a 4-rank gang on two agents.`);
      return 0;
    }
    console.log(`\n${c('1;31', 'FAILURE')}: the experiment ended ${outcome} (logs: ${logs}/).`);
    return 1;
  } finally {
    step('Stopping the services (the stack stays up: npm run stack:down stops it)');
    await stopServices(services);
  }
}

function showDag(experimentId: string, env: NodeJS.ProcessEnv): void {
  const r = spawnSync(process.execPath, [join(REPO, 'packages/cli/dist/main.js'), 'workflow', 'show', experimentId], { env: { ...env, MSCHED_LOG_LEVEL: 'warn' }, encoding: 'utf8' });
  for (const line of (r.stdout || r.stderr).trimEnd().split('\n')) info(line);
}

/** Prints the workflow's history as it lands in the job DB; resolves with the experiment's end. */
function follow(dbUrl: string, experimentId: string, services: RunningService[], env: NodeJS.ProcessEnv): Promise<string> {
  let drawn = false;
  return followHistory(dbUrl, experimentId, services, {
    what: 'the workflow',
    timeoutMs: 600_000,
    entityTypes: ['experiment', 'workflow', 'application', 'handler', 'job'],
    print: (r, sinceS, batch) => {
      const who = r.entity_type === 'application' || r.entity_type === 'handler' ? `${r.entity_type} ${r.entity_id.split('/').pop()}` : r.entity_type;
      info(`${c('2', `+${sinceS.toFixed(1).padStart(6)}s`)}  ${who.padEnd(20)} ${r.state.padEnd(10)}${r.reason ? c('2', ` ${r.reason}`) : ''}`);
      if (!drawn && r.entity_type === 'job' && r.state === 'ACTIVE' && batch.some((x) => x.entity_id.endsWith('/solve'))) {
        drawn = true;
        showDag(experimentId, env);
      }
    },
    endOf: (r) => (r.entity_type === 'experiment' && ['COMPLETED', 'FAILED', 'CANCELED'].includes(r.state) ? r.state : undefined),
  });
}
