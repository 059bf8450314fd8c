import { isBlank, LaunchRule } from '../rule';
import { effectiveSchedule } from '../schedule';

export const queueRule: LaunchRule = {
  name: 'queue',
  check(e, policy) {
    const s = effectiveSchedule(e);
    if (!s) return [];
    const served = Object.keys(policy.queueRoles).join(', ');
    if (isBlank(s.queueName)) return [`queueName is missing (queues: ${served})`];
    if (!Object.prototype.hasOwnProperty.call(policy.queueRoles, s.queueName as string)) return [`queueName "${s.queueName}" is not served here (queues: ${served})`];
    return [];
  },
};
