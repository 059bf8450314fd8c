/**
 * Capacity providers add agents to the Mesos cluster when a gang cannot fit what is there, and
 * release them after the job. `static` never adds (a fixed cluster); `local` adds agents to the
 * local Mesos-compatible cluster; a cloud provider (OpenStack, EC2) implements the same contract:
 *
 * - `acquire` is called by the capacity stage with what the gang lacks. It must be idempotent per
 *   `leaseId` (the stage may run again after a crash): a second call with the same lease returns the
 *   same agents and starts no more machines.
 * - It resolves once the new agents are REGISTERED with the master (the caller then re-checks the
 *   cluster), or rejects with a CapacityError saying why (quota, image missing, timeout).
 * - `release` is called after the job ended (cleanup stage); idempotent too, and a lease that holds
 *   nothing is not an error.
 */
export interface AgentShape {
  cpus: number;
  memMb: number;
}

export interface CapacityRequest {
  /** Stable id of the request (the job id): makes acquire/release idempotent. */
  leaseId: string;
  /** How many more agents of the provider's shape the gang needs, computed by the caller. */
  agents: number;
  /** What each rank needs, so a provider with several flavours can pick one. */
  perRank: AgentShape;
  role: string;
}

export interface CapacityLease {
  leaseId: string;
  /** Mesos agent ids (or hostnames) the provider added for this lease. */
  agentIds: string[];
}

export class CapacityError extends Error {
  constructor(message: string, readonly retriable: boolean) {
    super(message);
    this.name = 'CapacityError';
  }
}

export interface CapacityProvider {
  readonly name: string;
  /** Shape of one agent this provider can add, or null when it adds none. */
  readonly agentShape: AgentShape | null;
  /** Most agents this provider may add in total (quota). */
  readonly maxAgents: number;
  acquire(req: CapacityRequest): Promise<CapacityLease>;
  release(leaseId: string): Promise<void>;
}

/** A fixed cluster: nothing to add, nothing to release. */
export class StaticCapacityProvider implements CapacityProvider {
  readonly name = 'static';
  readonly agentShape = null;
  readonly maxAgents = 0;

  async acquire(req: CapacityRequest): Promise<CapacityLease> {
    if (req.agents > 0) throw new CapacityError(`the cluster is static (MSCHED_CAPACITY_PROVIDER=static) and the gang needs ${req.agents} more agent(s)`, false);
    return { leaseId: req.leaseId, agentIds: [] };
  }

  async release(): Promise<void> {
    // Nothing was added.
  }
}
