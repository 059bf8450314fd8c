import {
  APPLICATION_ACTIVE, APPLICATION_TERMINAL, ApplicationState, ConnectionSpec, FailurePolicy, WorkflowSpec,
} from './spec';

/** The committed state of a running workflow: what the decisions below read. */
export interface WorkflowSnapshot {
  readonly spec: WorkflowSpec;
  readonly applications: ReadonlyMap<string, ApplicationState>;
  readonly policy: FailurePolicy;
  /** terminateExperiment was called: nothing new starts, everything running is canceled. */
  readonly terminating: boolean;
}

/** What to do next; applying it and committing it is the caller's (one transaction). */
export interface WorkflowDecision {
  /** CREATED applications whose every input is now available: start them. */
  readonly launch: readonly string[];
  /** Applications holding a job that must be canceled (fail fast, or terminate). */
  readonly cancel: readonly string[];
  /** CREATED applications that can never run (an ancestor failed or was canceled, or the workflow stops): mark them CANCELED. */
  readonly skip: readonly string[];
  /** Set when, after this decision, every application has ended: the workflow's (and experiment's) final state. */
  readonly finished?: 'COMPLETED' | 'FAILED' | 'CANCELED';
}

/** The applications feeding `appId` (through a connection from one of their outputs). */
export function predecessors(spec: Pick<WorkflowSpec, 'connections'>, appId: string): string[] {
  return [...new Set(spec.connections.filter((c) => c.toType === 'APPLICATION' && c.toId === appId && c.fromType === 'APPLICATION').map((c) => c.fromId))];
}

/** The connections that deliver a value into one of `appId`'s inputs. */
export function feedsOf(spec: Pick<WorkflowSpec, 'connections'>, appId: string): ConnectionSpec[] {
  return spec.connections.filter((c) => c.toType === 'APPLICATION' && c.toId === appId);
}

/**
 * Decides the next step of a workflow from its committed state alone (no clock, no polling):
 * called by the transaction that records an application's end, by the launch and by terminate.
 * Deciding twice on the same state gives the same answer, and applying a decision makes the
 * next one empty, so redelivered messages never start an application twice.
 */
export function decideWorkflow(s: WorkflowSnapshot): WorkflowDecision {
  const state = (id: string): ApplicationState => s.applications.get(id) ?? 'CREATED';
  const ids = s.spec.applications.map((a) => a.id);
  const anyFailed = ids.some((id) => state(id) === 'FAILED');
  const stopAll = s.terminating || (anyFailed && s.policy === 'FAIL_FAST');

  const cancel = stopAll ? ids.filter((id) => APPLICATION_ACTIVE.has(state(id)) && state(id) !== 'CANCELING') : [];
  const doomed = new Set<string>();
  if (stopAll) {
    for (const id of ids) if (state(id) === 'CREATED') doomed.add(id);
  } else {
    // An application is doomed when a predecessor failed, was canceled or is itself doomed.
    let grew = true;
    while (grew) {
      grew = false;
      for (const id of ids) {
        if (doomed.has(id) || state(id) !== 'CREATED') continue;
        if (predecessors(s.spec, id).some((p) => state(p) === 'FAILED' || state(p) === 'CANCELED' || doomed.has(p))) {
          doomed.add(id);
          grew = true;
        }
      }
    }
  }
  const launch = stopAll ? [] : ids.filter((id) => state(id) === 'CREATED' && !doomed.has(id) && predecessors(s.spec, id).every((p) => state(p) === 'COMPLETED'));

  const after = (id: string): ApplicationState => (doomed.has(id) ? 'CANCELED' : launch.includes(id) ? 'LAUNCHED' : state(id));
  const allEnded = ids.every((id) => APPLICATION_TERMINAL.has(after(id)));
  let finished: WorkflowDecision['finished'];
  if (allEnded) {
    if (ids.every((id) => after(id) === 'COMPLETED')) finished = 'COMPLETED';
    else if (s.terminating) finished = 'CANCELED';
    else finished = 'FAILED';
  }
  return { launch, cancel, skip: [...doomed], ...(finished ? { finished } : {}) };
}

/** Longest distance of each application from a source (applications fed by no application). */
export function levels(spec: Pick<WorkflowSpec, 'applications' | 'connections'>): Map<string, number> {
  const level = new Map<string, number>();
  const depth = (id: string, seen: Set<string>): number => {
    const known = level.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0; // a cycle (refused at validation): do not loop
    seen.add(id);
    const d = Math.max(-1, ...predecessors(spec, id).map((p) => depth(p, seen))) + 1;
    level.set(id, d);
    return d;
  };
  for (const a of spec.applications) depth(a.id, new Set());
  return level;
}
