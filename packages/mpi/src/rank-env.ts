import { TAG_VARIABLE, type GangTaskEnv } from './env-contract';

/** Which rank a process is, as the MPI daemon that started it says (OpenMPI or MPICH). */
export interface RankIdentity {
  readonly rank: number;
  readonly size: number;
  readonly localRank: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function nat(v: string | undefined): number | undefined {
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

export function rankIdentityOf(env: Env): RankIdentity | undefined {
  const rank = nat(env.OMPI_COMM_WORLD_RANK) ?? nat(env.PMI_RANK);
  const size = nat(env.OMPI_COMM_WORLD_SIZE) ?? nat(env.PMI_SIZE);
  if (rank === undefined || size === undefined) return undefined;
  return { rank, size, localRank: nat(env.OMPI_COMM_WORLD_LOCAL_RANK) ?? nat(env.MPI_LOCALRANKID) ?? 0 };
}

export const SERIAL_RANK: RankIdentity = { rank: 0, size: 1, localRank: 0 };

/**
 * The variables every application process sees (documented in README.md). They are set last, so an
 * application's own environment cannot fake the job's identity.
 */
export function jobVariables(gang: GangTaskEnv, id: RankIdentity): Record<string, string> {
  return {
    MSCHED_RANK: String(id.rank),
    MSCHED_RANKS: String(id.size),
    MSCHED_LOCAL_RANK: String(id.localRank),
    MSCHED_LOCAL_RANKS: String(gang.member.slots),
    MSCHED_NODE_INDEX: String(gang.member.index),
    MSCHED_NODES: String(gang.member.count),
    MSCHED_JOB_ID: gang.job.jobId,
    MSCHED_PROCESS_ID: gang.job.processId,
    MSCHED_EXPERIMENT_ID: gang.job.experimentId,
    MSCHED_GATEWAY_ID: gang.job.gatewayId,
    MSCHED_ATTEMPT: String(gang.job.attempt),
    MSCHED_SANDBOX: gang.sandbox,
    MSCHED_AGENT_HOSTNAME: gang.member.hostname,
    MSCHED_AGENT_ID: gang.member.agentId,
    MSCHED_TASK_ID: gang.member.taskId,
  };
}

/**
 * The application's environment: the agent task's own (which carries the MPI daemon's variables),
 * without our internal contract except the cleanup tag, then the application's configured variables,
 * then the job's.
 */
export function applicationEnv(base: Env, gang: GangTaskEnv, id: RankIdentity): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined) continue;
    if (k.startsWith('MSCHED_GANG_') && k !== TAG_VARIABLE) continue;
    out[k] = v;
  }
  return { ...out, ...gang.app.env, ...jobVariables(gang, id) };
}
