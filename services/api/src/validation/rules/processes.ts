import { DEFAULT_ID } from '@msched/airavata-thrift';
import { ID_PATTERN, isBlank, LaunchRule } from '../rule';

/** A client may hand us the ProcessModel Airavata made; we run exactly one process per experiment. */
export const processesRule: LaunchRule = {
  name: 'processes',
  check(e) {
    const ps = e.processes;
    if (ps === null || ps === undefined || ps.length === 0) return [];
    if (ps.length > 1) return [`${ps.length} processes were sent; an experiment runs as exactly one process here`];
    const p = ps[0];
    if (!p) return ['processes[0] is empty'];
    const problems: string[] = [];
    if (!isBlank(p.experimentId) && p.experimentId !== e.experimentId) problems.push(`processes[0].experimentId "${p.experimentId}" is not the experiment's id "${e.experimentId}"`);
    if (!isBlank(p.processId) && p.processId !== DEFAULT_ID && !ID_PATTERN.test(p.processId as string)) {
      problems.push(`processes[0].processId "${p.processId}" may only hold letters, digits and . _ : - (at most 200)`);
    }
    return problems;
  },
};
