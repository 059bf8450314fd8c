import { gangRequestFromScheduling } from '@msched/gang';
import type { AppContainer, GangSpec, StagedUri } from '@msched/model';
import { ApplicationInputError, buildApplicationArgv, uriFileName } from '@msched/mpi';
import type { Catalogue } from '../catalogue';
import { lookupApplication } from '../catalogue';
import type { LaunchWork } from '../messages/launch';
import { StageError } from '../pipeline/stage-error';

export interface ResolveOptions {
  queueRoles: Readonly<Record<string, string>>;
  defaultRole: string;
  defaultMemMbPerRank: number;
  defaultWallTimeMinutes: number;
  maxWallTimeMinutes?: number;
}

/** The application's own image, else its queue's, else none (the agent's own system). */
function containerOf(own: AppContainer | undefined, queue: string | undefined, catalogue: Catalogue): { container?: AppContainer } {
  const container = own ?? (queue ? catalogue.queueContainers?.get(queue) : undefined);
  return container ? { container } : {};
}

const URI = 3;
const URI_COLLECTION = 4;

/**
 * Turns a launch into the gang the dispatcher runs: ranks, cpus and memory per rank, nodes, wall
 * time and role from the scheduling model; executable, MPI flavour and environment from the
 * operator's catalogue; argv from the inputs. Problems are permanent (retrying cannot fix a bad
 * model), reported all at once.
 */
export function resolveGang(w: LaunchWork, catalogue: Catalogue, opts: ResolveOptions): GangSpec {
  const problems: string[] = [];
  const app = lookupApplication(catalogue, { deploymentId: w.applicationDeploymentId, interfaceId: w.applicationInterfaceId });
  if (!app) {
    problems.push(`no application "${w.applicationDeploymentId ?? w.applicationInterfaceId ?? '(none given)'}" in the catalogue (known: ${[...catalogue.keys()].sort().join(', ') || 'none'})`);
  }
  const derived = gangRequestFromScheduling(w.scheduling, {
    queueRoles: opts.queueRoles, defaultRole: opts.defaultRole,
    defaultMemMbPerRank: app?.entry.memMbPerRank ?? opts.defaultMemMbPerRank,
    defaultWallTimeMinutes: opts.defaultWallTimeMinutes, maxWallTimeMinutes: opts.maxWallTimeMinutes,
  });
  if (!derived.ok) problems.push(...derived.problems);

  let argv: string[] = [];
  const uris: StagedUri[] = [...(app?.entry.uris ?? [])];
  if (app) {
    try {
      argv = buildApplicationArgv(app.entry.executable, w.inputs, (uri) => uriFileName(uri));
    } catch (e) {
      if (!(e instanceof ApplicationInputError)) throw e;
      problems.push(e.message);
    }
    for (const input of w.inputs) {
      if (!input.value || (input.type !== URI && input.type !== URI_COLLECTION)) continue;
      for (const u of input.value.split(',').map((x) => x.trim()).filter(Boolean)) uris.push({ value: u, outputFile: uriFileName(u) });
    }
  }
  if (app && derived.ok && app.entry.mpi === 'none' && derived.request.ranks > 1) {
    problems.push(`application "${app.id}" is serial (no MPI flavour) but the experiment asks for ${derived.request.ranks} ranks: set totalCPUCount to 1, or numberOfThreads to ${derived.request.ranks} for one multi-threaded rank`);
  }
  if (problems.length || !app || !derived.ok) throw new StageError(problems.join('; '), { permanent: true });

  return {
    jobId: w.jobId, processId: w.processId, experimentId: w.experimentId, gatewayId: w.gatewayId, attempt: w.attempt,
    ranks: derived.request.ranks, cpusPerRank: derived.request.cpusPerRank, memMbPerRank: derived.request.memMbPerRank,
    ...(derived.request.nodeCount ? { nodeCount: derived.request.nodeCount } : {}),
    wallTimeSeconds: derived.wallTimeSeconds, role: derived.request.role,
    app: {
      executable: argv[0], args: [...app.entry.fixedArgs, ...argv.slice(1)], env: { ...app.entry.env }, mpi: app.entry.mpi, uris,
      ...containerOf(app.entry.container, w.scheduling.queueName, catalogue),
    },
  };
}
