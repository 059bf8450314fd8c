import { DEFAULT_ID, ExperimentModel } from '@msched/airavata-thrift';
import { validateWorkflow } from '@msched/workflow';
import type { LaunchPolicy } from '../validation/policy';
import { ID_PATTERN, isBlank, LaunchRule } from '../validation/rule';
import { applicationRule } from '../validation/rules/application';
import { cpuRule } from '../validation/rules/cpus';
import { inputsRule } from '../validation/rules/inputs';
import { memoryRule } from '../validation/rules/memory';
import { outputsRule } from '../validation/rules/outputs';
import { queueRule } from '../validation/rules/queue';
import { resourceRule } from '../validation/rules/resource';
import { wallTimeRule } from '../validation/rules/walltime';
import type { Problem } from '../validation/problem';
import { applicationAsExperiment, failurePolicyOf, workflowSpec } from './to-spec';

/** The single-experiment rules every application passes, as the experiment it runs as. */
const PER_APPLICATION: readonly LaunchRule[] = [applicationRule, resourceRule, cpuRule, wallTimeRule, memoryRule, queueRule, inputsRule, outputsRule];

/**
 * Every problem of a WORKFLOW experiment beyond its identity: the DAG (structure, ids, connections,
 * cycles, scheduling fields the queues need; packages/workflow), the ProcessModels the
 * applications name, each application against the single-experiment rules, and the failure policy.
 */
export function validateWorkflowLaunch(e: ExperimentModel, policy: LaunchPolicy): Problem[] {
  const w = e.workflow;
  if (!w) return [{ rule: 'workflow', message: 'experimentType WORKFLOW needs ExperimentModel.workflow (field 20)' }];
  const problems: Problem[] = [];
  if (!isBlank(w.experimentId) && w.experimentId !== e.experimentId) problems.push({ rule: 'workflow', message: `workflow.experimentId "${w.experimentId}" is not the experiment's id "${e.experimentId}"` });
  if (isBlank(w.id) || w.id === DEFAULT_ID) problems.push({ rule: 'workflow', message: 'workflow.id is missing (not DO_NOT_SET_AT_CLIENTS)' });
  else if (!ID_PATTERN.test(w.id as string)) problems.push({ rule: 'workflow', message: `workflow.id "${w.id}" may only hold letters, digits and . _ : - (at most 200)` });
  const spec = workflowSpec(e);
  problems.push(...validateWorkflow(spec).map((p) => ({ rule: `workflow ${p.rule}`, message: p.message })));
  for (const p of e.processes ?? []) {
    if (!p) continue;
    if (!isBlank(p.experimentId) && p.experimentId !== e.experimentId) problems.push({ rule: 'processes', message: `process "${p.processId}" belongs to experiment "${p.experimentId}", not "${e.experimentId}"` });
    if (!ID_PATTERN.test(p.processId ?? '') || p.processId === DEFAULT_ID) problems.push({ rule: 'processes', message: `processId "${p.processId}" of a workflow application must be a real id: letters, digits and . _ : - (at most 200)` });
  }
  for (const app of w.applications ?? []) {
    if (!app || isBlank(app.id)) continue;
    const single = applicationAsExperiment(e, app);
    const s = single.userConfigurationData?.computationalResourceScheduling;
    for (const rule of PER_APPLICATION) {
      // A missing core count or wall time is already reported by the workflow's scheduling rule.
      if ((rule === cpuRule && !s?.totalCPUCount) || (rule === wallTimeRule && !s?.wallTimeLimit)) continue;
      for (const message of rule.check(single, policy)) problems.push({ rule: rule.name, message: `application "${app.id}": ${message}` });
    }
  }
  const fp = failurePolicyOf(e);
  if ('problem' in fp) problems.push({ rule: 'workflow failure policy', message: fp.problem });
  return problems;
}
