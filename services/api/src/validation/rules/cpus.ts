import { given, LaunchRule } from '../rule';
import { effectiveSchedule, rankCount } from '../schedule';

export const cpuRule: LaunchRule = {
  name: 'cpus and nodes',
  check(e, policy) {
    const s = effectiveSchedule(e);
    if (!s) return [];
    const problems: string[] = [];
    const cpus = s.totalCPUCount;
    if (typeof cpus !== 'number' || cpus <= 0) {
      problems.push(`totalCPUCount must be greater than 0 (got ${cpus ?? 'nothing'})`);
      return problems;
    }
    if (cpus > policy.maxCpuCount) problems.push(`totalCPUCount ${cpus} exceeds the ${policy.maxCpuCount} cpus a launch may ask for`);
    const threads = s.numberOfThreads;
    if (given(threads) && threads < 0) problems.push(`numberOfThreads must be positive (got ${threads})`);
    else if (given(threads) && cpus % threads !== 0) problems.push(`totalCPUCount ${cpus} is not a multiple of numberOfThreads ${threads}, so the cpus do not split into whole ranks`);
    const nodes = s.nodeCount;
    if (given(nodes)) {
      if (nodes < 0) problems.push(`nodeCount must be positive (got ${nodes})`);
      else if (nodes > cpus) problems.push(`nodeCount ${nodes} exceeds totalCPUCount ${cpus}: every node needs at least one cpu`);
      else if (nodes > rankCount(s)) problems.push(`nodeCount ${nodes} exceeds the ${rankCount(s)} ranks (totalCPUCount / numberOfThreads): every node needs at least one rank`);
    }
    return problems;
  },
};
