import { isBlank, LaunchRule } from '../rule';

export const applicationRule: LaunchRule = {
  name: 'application',
  check(e) {
    return isBlank(e.executionId) ? ['executionId (the application interface id) is missing'] : [];
  },
};
