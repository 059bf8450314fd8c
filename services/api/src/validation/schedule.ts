import type { ComputationalResourceSchedulingModel, ExperimentModel } from '@msched/airavata-thrift';

/**
 * The resource request in force: the process' own schedule when the client sent a ProcessModel
 * with one, else the experiment's userConfigurationData.computationalResourceScheduling.
 */
export function effectiveSchedule(e: ExperimentModel): ComputationalResourceSchedulingModel | null {
  const fromProcess = Array.isArray(e.processes) && e.processes.length === 1 ? e.processes[0]?.processResourceSchedule : null;
  return fromProcess ?? e.userConfigurationData?.computationalResourceScheduling ?? null;
}

/** Ranks of the gang: totalCPUCount / numberOfThreads (threads default 1). */
export function rankCount(s: ComputationalResourceSchedulingModel): number {
  const threads = typeof s.numberOfThreads === 'number' && s.numberOfThreads > 0 ? s.numberOfThreads : 1;
  return Math.floor((s.totalCPUCount ?? 0) / threads);
}
