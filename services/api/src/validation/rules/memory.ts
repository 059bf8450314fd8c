import { given, LaunchRule } from '../rule';
import { effectiveSchedule, rankCount } from '../schedule';

export const memoryRule: LaunchRule = {
  name: 'memory',
  check(e, policy) {
    const s = effectiveSchedule(e);
    const mem = s?.totalPhysicalMemory;
    if (!s || !given(mem)) return [];
    if (mem < 0) return [`totalPhysicalMemory must be positive (got ${mem} MB)`];
    if (mem > policy.maxMemoryMb) return [`totalPhysicalMemory ${mem} MB exceeds the ${policy.maxMemoryMb} MB a launch may ask for`];
    const ranks = rankCount(s);
    if (ranks > 0 && mem < ranks) return [`totalPhysicalMemory ${mem} MB is less than 1 MB for each of the ${ranks} ranks`];
    return [];
  },
};
