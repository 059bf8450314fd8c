import { LaunchRule } from '../rule';
import { effectiveSchedule } from '../schedule';

export const wallTimeRule: LaunchRule = {
  name: 'wall time',
  check(e, policy) {
    const s = effectiveSchedule(e);
    if (!s) return [];
    const w = s.wallTimeLimit;
    if (typeof w !== 'number' || w <= 0) return [`wallTimeLimit must be greater than 0 minutes (got ${w ?? 'nothing'})`];
    if (w > policy.maxWallTimeMinutes) return [`wallTimeLimit ${w} minutes exceeds the ${policy.maxWallTimeMinutes} allowed`];
    return [];
  },
};
