import type { ExperimentModel } from '@msched/airavata-thrift';
import type { LaunchPolicy } from './policy';
import type { LaunchRule } from './rule';
import { identityRule } from './rules/identity';
import { applicationRule } from './rules/application';
import { resourceRule } from './rules/resource';
import { cpuRule } from './rules/cpus';
import { wallTimeRule } from './rules/walltime';
import { memoryRule } from './rules/memory';
import { queueRule } from './rules/queue';
import { inputsRule } from './rules/inputs';
import { outputsRule } from './rules/outputs';
import { processesRule } from './rules/processes';
import { isWorkflowExperiment } from '../workflow/to-spec';
import { validateWorkflowLaunch } from '../workflow/validate-workflow';
import type { Problem } from './problem';

export type { Problem } from './problem';

/** Every check a launch must pass, in the order their problems are reported. */
export const LAUNCH_RULES: readonly LaunchRule[] = [
  identityRule, applicationRule, resourceRule, cpuRule, wallTimeRule, memoryRule, queueRule, inputsRule, outputsRule, processesRule,
];

/** Runs every rule and returns every problem (empty when the launch is acceptable). */
export function validateLaunch(e: ExperimentModel | null | undefined, policy: LaunchPolicy): Problem[] {
  if (!e) return [{ rule: 'experiment', message: 'no ExperimentModel was sent' }];
  if (isWorkflowExperiment(e)) {
    return [...identityRule.check(e, policy).map((message) => ({ rule: identityRule.name, message })), ...validateWorkflowLaunch(e, policy)];
  }
  return LAUNCH_RULES.flatMap((r) => r.check(e, policy).map((message) => ({ rule: r.name, message })));
}
