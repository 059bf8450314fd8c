import type { ExperimentModel } from '@msched/airavata-thrift';
import type { LaunchPolicy } from './policy';

/**
 * One launch check. It reads the decoded ExperimentModel, whose fields may be null whatever the IDL
 * says (a client may omit required fields), and returns one sentence per problem it finds.
 */
export interface LaunchRule {
  readonly name: string;
  check(experiment: ExperimentModel, policy: LaunchPolicy): string[];
}

/** Ids travel into paths, Mesos task ids and Kafka keys: keep them to a safe alphabet. */
export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

export function isBlank(v: unknown): boolean {
  return typeof v !== 'string' || v.trim() === '';
}

/** An i32 the client set; Airavata sends 0 for "not given" in several numeric fields. */
export function given(v: unknown): v is number {
  return typeof v === 'number' && v !== 0;
}
