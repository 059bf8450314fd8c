import { resolve as resolvePath, join, normalize, isAbsolute } from 'node:path';
import { enqueueOutbox } from '@msched/db';
import type { ClusterState } from '@msched/mesos';
import { CollectedOutput, EndedTask, OUTPUTS_EVENT_TYPE, OutputsEvent } from '@msched/model';
import type { Stage } from '../pipeline/stage';
import { StageError } from '../pipeline/stage-error';
import { downloadSandboxFile } from '../sandbox/sandbox-files';
import { applicationDataDir } from './application-data-dir';
import { loadLaunch } from './load-launch';

const URI = 3;
const STDOUT = 5;
const STDERR = 6;

export interface CollectDeps {
  clusterState: () => Promise<ClusterState>;
  dataRoot: string;
}

export interface Collected {
  dataDir: string;
  outputs: CollectedOutput[];
  stdout?: string;
  stderr?: string;
}

/** Where an experiment's outputs go: its own experimentDataDir, else <dataRoot>/<gateway>/<experiment>. */
export function experimentDataDir(dataRoot: string, gatewayId: string, experimentId: string, declared?: string): string {
  if (declared) return resolvePath(declared);
  return resolvePath(dataRoot, safeName(gatewayId), safeName(experimentId));
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** A declared output file must stay inside the sandbox: no absolute paths, no `..`. */
function sandboxRelative(name: string): string | undefined {
  const n = normalize(name);
  return !n || isAbsolute(n) || n.startsWith('..') ? undefined : n;
}

/**
 * collect-outputs: copies each task's stdout/stderr and the files the experiment declared as outputs
 * from the sandboxes into the experiment data directory, and reports them (TaskOutputChangeEvent).
 * Copies overwrite atomically, so running it again gives the same result.
 */
export function collectOutputsStage(deps: CollectDeps): Stage<Collected> {
  return {
    name: 'collect-outputs',
    processState: 'OUTPUT_DATA_STAGING',
    run: async (ctx) => {
      const ended = ctx.work.ended;
      if (!ended) throw new StageError('collect-outputs needs the job\'s end report', { permanent: true });
      const launch = await loadLaunch(ctx.ds, ctx.work);
      const dataDir = await applicationDataDir(ctx.ds, ctx.work.processId, experimentDataDir(deps.dataRoot, ctx.work.gatewayId, ctx.work.experimentId, launch.experimentDataDir));
      const state = await deps.clusterState();
      const basesFor = (t: EndedTask) => {
        const agent = state.agents.find((a) => a.id === t.agentId);
        return [...(agent?.port ? [`http://${agent.hostname}:${agent.port}`] : []), state.masterUrl];
      };
      const withSandbox = ended.tasks.filter((t) => t.sandboxPath);
      const launcher = withSandbox.find((t) => t.launcher) ?? withSandbox[0];
      const out: Collected = { dataDir, outputs: [] };
      for (const t of withSandbox) {
        for (const stream of ['stdout', 'stderr'] as const) {
          await downloadSandboxFile(basesFor(t), `${t.sandboxPath}/${stream}`, join(dataDir, 'tasks', safeName(t.taskId), stream));
        }
      }
      if (launcher) {
        if (await downloadSandboxFile(basesFor(launcher), `${launcher.sandboxPath}/stdout`, join(dataDir, 'stdout'))) out.stdout = join(dataDir, 'stdout');
        if (await downloadSandboxFile(basesFor(launcher), `${launcher.sandboxPath}/stderr`, join(dataDir, 'stderr'))) out.stderr = join(dataDir, 'stderr');
      }
      for (const o of launch.outputs) {
        if (o.type === STDOUT && out.stdout) out.outputs.push({ name: o.name, value: out.stdout, type: 'STDOUT' });
        else if (o.type === STDERR && out.stderr) out.outputs.push({ name: o.name, value: out.stderr, type: 'STDERR' });
        else if (o.type === URI && o.value) {
          const rel = sandboxRelative(o.value);
          if (!rel) { ctx.logger.warn(`output ${o.name}: ${o.value} is not a path inside the sandbox; skipped`); continue; }
          let found = false;
          for (const t of launcher ? [launcher, ...withSandbox.filter((x) => x !== launcher)] : []) {
            if (await downloadSandboxFile(basesFor(t), `${t.sandboxPath}/${rel}`, join(dataDir, rel))) { found = true; break; }
          }
          if (found) out.outputs.push({ name: o.name, value: join(dataDir, rel), type: 'URI' });
          else ctx.logger.warn(`output ${o.name}: no task produced ${rel}`);
        }
      }
      return out;
    },
    commit: async (tx, ctx, c) => {
      await tx.query('UPDATE jobs SET working_dir = $2, std_out = coalesce($3, std_out), std_err = coalesce($4, std_err), updated_at = now() WHERE id = $1',
        [ctx.work.jobId, c.dataDir, c.stdout ?? null, c.stderr ?? null]);
      const event: OutputsEvent = {
        gatewayId: ctx.work.gatewayId, experimentId: ctx.work.experimentId, processId: ctx.work.processId, taskId: ctx.work.taskId,
        outputs: c.outputs, time: new Date().toISOString(),
      };
      await enqueueOutbox(tx, { topic: 'events', key: ctx.work.experimentId, type: OUTPUTS_EVENT_TYPE, payload: event });
    },
  };
}
