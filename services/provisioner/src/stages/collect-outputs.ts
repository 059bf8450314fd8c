import { resolve as resolvePath, join, normalize, isAbsolute } from 'node:path';
import { enqueueOutbox, saveJobOutputs } from '@msched/db';
import type { ClusterState, SandboxLookup } from '@msched/mesos';
import { CollectedOutput, EndedTask, OUTPUTS_EVENT_TYPE, OutputsEvent } from '@msched/model';
import type { Stage } from '../pipeline/stage';
import { StageError } from '../pipeline/stage-error';
import { downloadSandboxFile } from '../sandbox/sandbox-files';
import { resolveSandboxes, setTaskSandboxes } from '../sandbox/resolve-sandboxes';
import { applicationDataDir } from './application-data-dir';
import { loadLaunch } from './load-launch';

const URI = 3;
const STDOUT = 5;
const STDERR = 6;

export interface CollectDeps {
  clusterState: () => Promise<ClusterState>;
  dataRoot: string;
  /** Finds sandboxes the job's end report lacks, from the master's and agents' state. */
  lookupSandboxes: SandboxLookup;
  lookupTimeoutMs: number;
}

export interface Collected {
  dataDir: string;
  outputs: CollectedOutput[];
  stdout?: string;
  stderr?: string;
  /** Sandboxes found here that the database did not have (recorded with the outputs). */
  foundSandboxes: Array<[string, string]>;
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
      // A job that never launched (canceled while it waited, never placeable) has no sandbox: the
      // master is not asked, since it may be failing over and the process must still end as the job
      // did (the 30-minute chaos run: a cancel while waiting ended FAILED for want of the master).
      if (ended.tasks.length === 0) return { dataDir, outputs: [], foundSandboxes: [] };
      const state = await deps.clusterState();
      const basesFor = (t: EndedTask) => {
        const agent = state.agents.find((a) => a.id === t.agentId);
        return [...(agent?.port ? [`http://${agent.hostname}:${agent.port}`] : []), state.masterUrl];
      };
      // The end report may lack sandboxes the dispatcher could not look up (a master failover, an
      // agent that answered late, a status learned through reconciliation): find them now.
      const resolved = await resolveSandboxes(ctx.ds, ended, {
        masterUrl: state.masterUrl, lookup: deps.lookupSandboxes, timeoutMs: deps.lookupTimeoutMs, logger: ctx.logger,
      });
      const missing = resolved.tasks.filter((t) => !t.sandboxPath);
      if (missing.length && ended.state === 'COMPLETE') {
        // Never COMPLETED with its outputs missing: retried with backoff, then dead-lettered with this reason.
        throw new StageError(`the sandbox of ${missing.map((t) => `task ${t.taskId} on agent ${t.agentId || '(unknown)'}`).join(', ')} is unknown: `
          + `the dispatcher did not record it and neither the master nor the agent lists it${resolved.lookupError ? ` (lookup failed: ${resolved.lookupError})` : ''}, so the job's outputs cannot be collected`, { permanent: false });
      }
      for (const t of missing) ctx.logger.warn(`task ${t.taskId} (${t.state}) of a job that ended ${ended.state}: its sandbox is unknown, its output is not collected`);
      const withSandbox = resolved.tasks.filter((t) => t.sandboxPath);
      const launcher = withSandbox.find((t) => t.launcher) ?? withSandbox[0];
      const out: Collected = { dataDir, outputs: [], foundSandboxes: resolved.found };
      for (const t of withSandbox) {
        for (const stream of ['stdout', 'stderr'] as const) {
          await downloadSandboxFile(basesFor(t), `${t.sandboxPath}/${stream}`, join(dataDir, 'tasks', safeName(t.taskId), stream));
        }
      }
      if (launcher) {
        if (await downloadSandboxFile(basesFor(launcher), `${launcher.sandboxPath}/stdout`, join(dataDir, 'stdout'))) out.stdout = join(dataDir, 'stdout');
        else if (ended.state === 'COMPLETE') {
          // Every task's sandbox has a stdout: without it the sandbox is gone (the agent's garbage
          // collection came first, or the agent left), and a COMPLETED experiment would lack its outputs.
          throw new StageError(`the sandbox ${launcher.sandboxPath} of task ${launcher.taskId} on agent ${launcher.agentId || '(unknown)'} no longer holds its stdout `
            + '(removed by the agent\'s sandbox garbage collection, or the agent is gone), so the job\'s outputs cannot be collected', { permanent: false });
        }
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
      await setTaskSandboxes(tx, c.foundSandboxes);
      await saveJobOutputs(tx, ctx.work.jobId, { workingDir: c.dataDir, stdout: c.stdout, stderr: c.stderr });
      const event: OutputsEvent = {
        gatewayId: ctx.work.gatewayId, experimentId: ctx.work.experimentId, processId: ctx.work.processId, taskId: ctx.work.taskId,
        outputs: c.outputs, time: new Date().toISOString(),
      };
      await enqueueOutbox(tx, { topic: 'events', key: ctx.work.experimentId, type: OUTPUTS_EVENT_TYPE, payload: event });
    },
  };
}
