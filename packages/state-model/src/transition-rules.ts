import type { EntityType } from './states';

/**
 * Which state may follow which. Terminal states have no successors: nothing goes back from
 * COMPLETED, FAILED or CANCELED. Repeating the current state is a duplicate, not a transition.
 */
const EXPERIMENT: Record<string, readonly string[]> = {
  CREATED: ['VALIDATED', 'SCHEDULED', 'LAUNCHED', 'EXECUTING', 'CANCELING', 'CANCELED', 'FAILED'],
  VALIDATED: ['SCHEDULED', 'LAUNCHED', 'EXECUTING', 'CANCELING', 'CANCELED', 'FAILED'],
  SCHEDULED: ['LAUNCHED', 'EXECUTING', 'CANCELING', 'CANCELED', 'FAILED'],
  LAUNCHED: ['SCHEDULED', 'EXECUTING', 'CANCELING', 'CANCELED', 'COMPLETED', 'FAILED'],
  EXECUTING: ['SCHEDULED', 'CANCELING', 'CANCELED', 'COMPLETED', 'FAILED'],
  CANCELING: ['CANCELED', 'FAILED', 'COMPLETED'],
  CANCELED: [], COMPLETED: [], FAILED: [],
};

const PROCESS_FLOW = ['CREATED', 'VALIDATED', 'STARTED', 'PRE_PROCESSING', 'CONFIGURING_WORKSPACE', 'INPUT_DATA_STAGING', 'EXECUTING', 'MONITORING', 'OUTPUT_DATA_STAGING', 'POST_PROCESSING', 'COMPLETED'];
const PROCESS: Record<string, readonly string[]> = (() => {
  const t: Record<string, string[]> = {};
  PROCESS_FLOW.forEach((s, i) => {
    // Forward along the flow (stages may be skipped, e.g. no inputs to stage), plus the side exits.
    t[s] = [...PROCESS_FLOW.slice(i + 1), 'FAILED', 'CANCELLING', 'CANCELED', 'QUEUED', 'REQUEUED'];
  });
  t.QUEUED = ['DEQUEUING', 'EXECUTING', 'MONITORING', 'FAILED', 'CANCELLING', 'CANCELED', 'REQUEUED'];
  t.DEQUEUING = ['EXECUTING', 'MONITORING', 'QUEUED', 'FAILED', 'CANCELLING', 'CANCELED'];
  // A requeued process (e.g. an operator replayed its dead-lettered stage) resumes anywhere in the flow.
  t.REQUEUED = [...PROCESS_FLOW.slice(3), 'QUEUED', 'DEQUEUING', 'FAILED', 'CANCELLING', 'CANCELED'];
  // A gang that fails after a partial run may still collect outputs, so CANCELLING leads to staging too.
  t.CANCELLING = ['OUTPUT_DATA_STAGING', 'POST_PROCESSING', 'CANCELED', 'FAILED'];
  t.COMPLETED = []; t.FAILED = []; t.CANCELED = [];
  return t;
})();

const TASK: Record<string, readonly string[]> = {
  CREATED: ['EXECUTING', 'COMPLETED', 'FAILED', 'CANCELED'],
  EXECUTING: ['COMPLETED', 'FAILED', 'CANCELED'],
  COMPLETED: [], FAILED: [], CANCELED: [],
};

const JOB: Record<string, readonly string[]> = {
  SUBMITTED: ['QUEUED', 'ACTIVE', 'COMPLETE', 'CANCELED', 'FAILED', 'UNKNOWN', 'SUSPENDED'],
  QUEUED: ['ACTIVE', 'COMPLETE', 'CANCELED', 'FAILED', 'UNKNOWN', 'SUSPENDED'],
  ACTIVE: ['COMPLETE', 'CANCELED', 'FAILED', 'UNKNOWN', 'SUSPENDED', 'NON_CRITICAL_FAIL'],
  SUSPENDED: ['ACTIVE', 'CANCELED', 'FAILED', 'UNKNOWN'],
  UNKNOWN: ['QUEUED', 'ACTIVE', 'COMPLETE', 'CANCELED', 'FAILED'],
  NON_CRITICAL_FAIL: ['ACTIVE', 'COMPLETE', 'FAILED', 'CANCELED'],
  COMPLETE: [], CANCELED: [], FAILED: [],
};

const TABLES: Record<EntityType, Record<string, readonly string[]>> = { experiment: EXPERIMENT, process: PROCESS, task: TASK, job: JOB };

export type TransitionVerdict =
  | { kind: 'apply' }
  | { kind: 'duplicate' }
  | { kind: 'rejected'; reason: string };

/**
 * Decides whether `to` may follow `from` for an entity. `from` undefined means the entity has no
 * state yet: only its initial states are allowed.
 */
export function checkTransition(entity: EntityType, from: string | undefined, to: string): TransitionVerdict {
  const table = TABLES[entity];
  if (!(to in table)) return { kind: 'rejected', reason: `${to} is not a ${entity} state` };
  if (from === undefined) {
    const initial = entity === 'job' ? ['SUBMITTED', 'QUEUED'] : ['CREATED'];
    return initial.includes(to) ? { kind: 'apply' } : { kind: 'rejected', reason: `a new ${entity} starts in ${initial.join(' or ')}, not ${to}` };
  }
  if (from === to) return { kind: 'duplicate' };
  if (isTerminal(entity, from)) return { kind: 'rejected', reason: `${entity} is already ${from} (terminal); ${to} ignored` };
  return table[from]?.includes(to) ? { kind: 'apply' } : { kind: 'rejected', reason: `${entity} cannot go from ${from} to ${to}` };
}

export function isTerminal(entity: EntityType, state: string): boolean {
  const next = TABLES[entity][state];
  return next !== undefined && next.length === 0;
}
