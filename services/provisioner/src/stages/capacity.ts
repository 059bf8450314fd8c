import { capacityFromClusterState, fitsCluster, gangRequestFromSpec, membershipOf, type FitVerdict, type GangRequest } from '@msched/gang';
import type { ClusterState } from '@msched/mesos';
import type { CapacityProvider } from '../capacity/provider';
import type { Stage } from '../pipeline/stage';
import { StageError } from '../pipeline/stage-error';
import { loadGangSpec } from './load-launch';

/**
 * The fewest agents of the provider's shape that make the gang fit, found by trying 1, 2, ... more
 * (so room already in the cluster counts), or undefined when even `max` more would not do.
 */
export function agentsLacking(state: ClusterState, role: string, request: ReturnType<typeof gangRequestFromSpec>, shape: { cpus: number; memMb: number }, max: number): number | undefined {
  const none = { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] };
  for (let k = 1; k <= max; k++) {
    const extra = Array.from({ length: k }, (_, i) => ({
      id: `hypothetical-${i}`, hostname: `hypothetical-${i}`, active: true, attributes: {},
      total: { cpus: shape.cpus, mem: shape.memMb, disk: Number.MAX_SAFE_INTEGER, gpus: 0, ports: [{ begin: 1, end: 65535 }] },
      used: none, offered: none, reservedByRole: {},
    }));
    if (fitsCluster(request, capacityFromClusterState({ ...state, agents: [...state.agents, ...extra] }, role)).fits) return k;
  }
  return undefined;
}

export interface CapacityStageDeps {
  clusterState: () => Promise<ClusterState>;
  provider: CapacityProvider;
  /** How long to wait for a leading master with an active agent, and its whole registry back, before judging (default 30 s). */
  agentsWaitMs?: number;
  /** How often to look again meanwhile (default 1 s). */
  agentsPollMs?: number;
}

/**
 * The cluster to judge the gang on, read until it says something: just after a master failover the
 * new leader knows no agent until they re-register (seconds, longer after a ZooKeeper outage), and
 * while it still waits for agents of its registry it lists only those that are back. A gang that
 * fits is judged at once; otherwise the cluster is read again (every `pollMs`, for `waitMs`) until
 * it is whole, and one still empty or incomplete after that is a transient failure, not a verdict.
 * Disconnected agents count as members (membershipOf).
 */
export async function judgedCluster(read: () => Promise<ClusterState>, request: GangRequest, role: string, waitMs: number, pollMs: number): Promise<{ state: ClusterState; fit: FitVerdict }> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const state = await read();
    let why: string;
    if (state.agents.some((a) => a.active)) {
      const view = membershipOf(state);
      const fit = fitsCluster(request, capacityFromClusterState(view.state, role));
      if (fit.fits || !view.incomplete) return { state, fit };
      why = `the gang does not fit the agents registered so far, but ${view.incomplete}: trying again`;
    } else {
      why = `the leading master (${state.masterUrl}) has no active agent yet (a failover, agents re-registering): trying again`;
    }
    if (Date.now() + pollMs > deadline) throw new StageError(why, { permanent: false });
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * capacity: a gang that can never fit the cluster fails here, at once, with the reason; where a
 * provider can add agents it is asked for as many as the gang lacks (idempotent per job), and the
 * cluster is checked again once they registered.
 */
export function capacityStage(deps: CapacityStageDeps, portsPerAgent: number): Stage<void> {
  return {
    name: 'capacity',
    processState: 'CONFIGURING_WORKSPACE',
    run: async (ctx) => {
      const spec = await loadGangSpec(ctx.ds, ctx.work.jobId);
      const request = gangRequestFromSpec(spec, portsPerAgent);
      const { state, fit } = await judgedCluster(deps.clusterState, request, spec.role, deps.agentsWaitMs ?? 30_000, deps.agentsPollMs ?? 1000);
      if (fit.fits) return;
      const shape = deps.provider.agentShape;
      if (!shape || deps.provider.maxAgents === 0) throw new StageError(`the gang can never fit this cluster: ${fit.reasons.join('; ')}`, { permanent: true });
      const agents = agentsLacking(state, spec.role, request, shape, deps.provider.maxAgents);
      if (agents === undefined) throw new StageError(`the gang needs more agents than the ${deps.provider.name} provider may add (${deps.provider.maxAgents} of ${shape.cpus} cpus, ${shape.memMb} MB): ${fit.reasons.join('; ')}`, { permanent: true });
      ctx.logger.info(`cluster lacks room (${fit.reasons.join('; ')}): asking the ${deps.provider.name} provider for ${agents} agent(s)`);
      const lease = await deps.provider.acquire({ leaseId: ctx.work.jobId, agents, perRank: { cpus: spec.cpusPerRank, memMb: spec.memMbPerRank }, role: spec.role });
      const again = fitsCluster(request, capacityFromClusterState(await deps.clusterState(), spec.role));
      if (!again.fits) throw new StageError(`added ${lease.agentIds.length} agent(s) but the gang still does not fit: ${again.reasons.join('; ')}`, { permanent: false });
    },
  };
}
