import { DEFAULT_ID, ExperimentType, enumName, isEnumValue } from '@msched/airavata-thrift';
import { ID_PATTERN, isBlank, LaunchRule } from '../rule';

export const identityRule: LaunchRule = {
  name: 'identity',
  check(e) {
    const problems: string[] = [];
    if (isBlank(e.experimentId) || e.experimentId === DEFAULT_ID) problems.push('experimentId is missing: launch an experiment Airavata has created (not DO_NOT_SET_AT_CLIENTS)');
    else if (!ID_PATTERN.test(e.experimentId as string)) problems.push(`experimentId "${e.experimentId}" may only hold letters, digits and . _ : - (at most 200)`);
    for (const [field, value] of [['gatewayId', e.gatewayId], ['projectId', e.projectId], ['userName', e.userName], ['experimentName', e.experimentName]] as const) {
      if (isBlank(value)) problems.push(`${field} is missing`);
    }
    if (!isBlank(e.gatewayId) && !ID_PATTERN.test(e.gatewayId)) problems.push(`gatewayId "${e.gatewayId}" may only hold letters, digits and . _ : - (at most 200)`);
    if (e.experimentType === null || e.experimentType === undefined) problems.push('experimentType is missing');
    else if (!isEnumValue(ExperimentType, e.experimentType)) problems.push(`experimentType ${e.experimentType} is not an ExperimentType`);
    else if (e.experimentType === ExperimentType.WORKFLOW && !e.workflow) problems.push(`experimentType ${enumName(ExperimentType, e.experimentType)} needs ExperimentModel.workflow (field 20)`);
    return problems;
  },
};
