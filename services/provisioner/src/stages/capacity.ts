import { capacityFromClusterState, fitsCluster, gangRequestFromSpec } from '@msched/gang';
import type { ClusterState } from '@msched/mesos';
import type { CapacityProvider } from '../capacity/provider';
import type { Stage } from '../pipeline/stage';
import { StageError } from '../pipeline/stage-error';
import { loadGangSpec } from './load-launch';

export interface CapacityStageDeps {
  clusterState: () => Promise<ClusterState>;
  provider: CapacityProvider;
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
      const fit = fitsCluster(request, capacityFromClusterState(await deps.clusterState(), spec.role));
      if (fit.fits) return;
      const shape = deps.provider.agentShape;
      if (!shape || deps.provider.maxAgents === 0) throw new StageError(`the gang can never fit this cluster: ${fit.reasons.join('; ')}`, { permanent: true });
      const ranksPerAgent = Math.min(Math.floor(shape.cpus / spec.cpusPerRank), Math.floor(shape.memMb / spec.memMbPerRank));
      if (ranksPerAgent < 1) throw new StageError(`one rank (${spec.cpusPerRank} cpus, ${spec.memMbPerRank} MB) is larger than any agent the ${deps.provider.name} provider can add (${shape.cpus} cpus, ${shape.memMb} MB)`, { permanent: true });
      const agents = spec.nodeCount ?? Math.ceil(spec.ranks / ranksPerAgent);
      if (agents > deps.provider.maxAgents) throw new StageError(`the gang needs ${agents} more agents; the ${deps.provider.name} provider may add ${deps.provider.maxAgents} (${fit.reasons.join('; ')})`, { permanent: true });
      ctx.logger.info(`cluster lacks room (${fit.reasons.join('; ')}): asking the ${deps.provider.name} provider for ${agents} agent(s)`);
      const lease = await deps.provider.acquire({ leaseId: ctx.work.jobId, agents, perRank: { cpus: spec.cpusPerRank, memMb: spec.memMbPerRank }, role: spec.role });
      const again = fitsCluster(request, capacityFromClusterState(await deps.clusterState(), spec.role));
      if (!again.fits) throw new StageError(`added ${lease.agentIds.length} agent(s) but the gang still does not fit: ${again.reasons.join('; ')}`, { permanent: false });
    },
  };
}
