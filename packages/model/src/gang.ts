/** Which MPI implementation launches the ranks; 'none' is a serial (single task, single rank) job. */
export type MpiFlavour = 'openmpi' | 'mpich' | 'none';

export interface StagedUri {
  /** Where the agent fetches from (file://, http://, or an absolute path). */
  readonly value: string;
  readonly extract?: boolean;
  readonly executable?: boolean;
  /** File name inside the sandbox (Mesos CommandInfo.URI.output_file). */
  readonly outputFile?: string;
}

/**
 * An image the tasks run in, for sites that prefer images to agents with MPI installed (see
 * deploy/Dockerfile.task). `docker`: Mesos' Docker containerizer, host networking (MPI ranks talk
 * across agents directly). `mesos`: Mesos' own containerizer pulling the Docker image itself.
 */
export interface AppContainer {
  readonly type: 'docker' | 'mesos';
  /** A Docker image reference, e.g. registry.example.org/msched/task-openmpi:4.1. */
  readonly image: string;
  /** Docker containerizer only: pull the image even when the agent has it. */
  readonly forcePullImage?: boolean;
}

/** The application to run, resolved from the experiment and the operator's catalogue. */
export interface AppSpec {
  /** Absolute path (or sandbox-relative name of a staged file) of the executable. */
  readonly executable: string;
  /** argv after the executable; never joined into a shell string. */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly mpi: MpiFlavour;
  /** Inputs the agent fetches into every task's sandbox before the task starts. */
  readonly uris: readonly StagedUri[];
  /** Run every task in this image; without it tasks run on the agent's own system. */
  readonly container?: AppContainer;
}

/**
 * What the dispatcher needs to run one job as a gang: derived by the provisioner from
 * ComputationalResourceSchedulingModel and the application catalogue.
 */
export interface GangSpec {
  readonly jobId: string;
  readonly processId: string;
  readonly experimentId: string;
  readonly gatewayId: string;
  readonly attempt: number;
  /** Number of MPI ranks (totalCPUCount / numberOfThreads); 1 for a serial job. */
  readonly ranks: number;
  /** cpus per rank (numberOfThreads, default 1). */
  readonly cpusPerRank: number;
  /** MB of memory per rank (totalPhysicalMemory / ranks, or the configured default). */
  readonly memMbPerRank: number;
  /** Exact number of agents when the user gave nodeCount; undefined means "as few as fit". */
  readonly nodeCount?: number;
  readonly wallTimeSeconds: number;
  /** Mesos role the gang is scheduled under (from queueName). */
  readonly role: string;
  readonly app: AppSpec;
}

/** Ranks per node when nodeCount is given: ceil(ranks / nodeCount), the last node may hold fewer. */
export function ranksPerNode(spec: Pick<GangSpec, 'ranks' | 'nodeCount'>): number | undefined {
  return spec.nodeCount ? Math.ceil(spec.ranks / spec.nodeCount) : undefined;
}
