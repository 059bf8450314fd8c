import { DataType, isEnumValue } from '@msched/airavata-thrift';
import { isBlank, LaunchRule } from '../rule';

export const outputsRule: LaunchRule = {
  name: 'outputs',
  check(e) {
    if (e.experimentOutputs === null || e.experimentOutputs === undefined) return [];
    const seen = new Set<string>();
    const problems: string[] = [];
    e.experimentOutputs.forEach((o, i) => {
      if (!o || isBlank(o.name)) { problems.push(`experimentOutputs[${i}] has no name`); return; }
      if (seen.has(o.name)) problems.push(`output "${o.name}" appears twice`);
      seen.add(o.name);
      if (o.type !== null && o.type !== undefined && !isEnumValue(DataType, o.type)) problems.push(`output "${o.name}" has type ${o.type}, which is not a DataType`);
    });
    return problems;
  },
};
