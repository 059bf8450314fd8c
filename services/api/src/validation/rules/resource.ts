import { isBlank, LaunchRule } from '../rule';
import { effectiveSchedule } from '../schedule';

export const resourceRule: LaunchRule = {
  name: 'compute resource',
  check(e, policy) {
    if (!e.userConfigurationData) return ['userConfigurationData is missing'];
    const s = effectiveSchedule(e);
    if (!s) return ['userConfigurationData.computationalResourceScheduling is missing'];
    if (isBlank(s.resourceHostId)) return ['resourceHostId is missing'];
    if (!policy.computeResources.has(s.resourceHostId as string)) {
      return [`resourceHostId "${s.resourceHostId}" is not a compute resource of this installation (known: ${[...policy.computeResources].join(', ')})`];
    }
    return [];
  },
};
