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

/** The variables that differ between the ranks of one task. */
export function rankVariables(id: RankIdentity): Record<string, string> {
  return { MSCHED_RANK: String(id.rank), MSCHED_RANKS: String(id.size), MSCHED_LOCAL_RANK: String(id.localRank) };
}

/** The variables every rank of one task shares. */
export function taskVariables(gang: GangTaskEnv): Record<string, string> {
  return {
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
 * The variables every application process sees (documented in README.md). They are set last, so an
 * application's own environment cannot fake the job's identity.
 */
export function jobVariables(gang: GangTaskEnv, id: RankIdentity): Record<string, string> {
  return { ...rankVariables(id), ...taskVariables(gang) };
}

/**
 * What the native rank wrapper adds, in this order, to the environment it got from the MPI daemon
 * (without the internal MSCHED_GANG_* variables) before it adds rankVariables: the same result as
 * applicationEnv, with no node process per rank (native/rank-exec.c, io/rank-spec-file.ts).
 */
export function sharedRankEntries(gang: GangTaskEnv): Array<[string, string]> {
  return [...Object.entries(gang.app.env), ...Object.entries(taskVariables(gang))];
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
