import { capacityFromClusterState, fitsCluster, gangRequestFromSpec, membershipOf, type FitVerdict } from '@msched/gang';
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
  /** How long to wait for a leading master with an active agent before judging (default 30 s). */
  agentsWaitMs?: number;
  /** How often to look again meanwhile (default 1 s). */
  agentsPollMs?: number;
}

/**
 * The cluster as the leading master sees it once it has an active agent. Just after a master
 * failover the new leader knows no agent until they re-register (seconds, longer after a ZooKeeper
 * outage): a cluster without any active agent says nothing about whether the gang can ever fit, so
 * it is read again, and a cluster still empty after `waitMs` is a transient failure, not a verdict.
 */
export async function clusterWithAgents(read: () => Promise<ClusterState>, waitMs: number, pollMs: number): Promise<ClusterState> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const state = await read();
    if (state.agents.some((a) => a.active)) return state;
    if (Date.now() + pollMs > deadline) {
      throw new StageError(`the leading master (${state.masterUrl}) has no active agent yet (a failover, agents re-registering): trying again`, { permanent: false });
    }
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
      const waitMs = deps.agentsWaitMs ?? 30_000;
      const pollMs = deps.agentsPollMs ?? 1000;
      const deadline = Date.now() + waitMs;
      let state = await clusterWithAgents(deps.clusterState, waitMs, pollMs);
      let fit: FitVerdict;
      // A verdict only on the whole cluster: disconnected agents count, and while the master still
      // waits for agents of its registry (after a failover) the list is not the whole cluster.
      for (;;) {
        const view = membershipOf(state);
        fit = fitsCluster(request, capacityFromClusterState(view.state, spec.role));
        if (fit.fits) return;
        if (!view.incomplete) break;
        if (Date.now() + pollMs > deadline) throw new StageError(`the gang does not fit the agents registered so far, but ${view.incomplete}: trying again`, { permanent: false });
        await new Promise((r) => setTimeout(r, pollMs));
        state = await deps.clusterState();
      }
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
