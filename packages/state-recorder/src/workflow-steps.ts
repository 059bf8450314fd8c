import type { Db } from '@msched/db';
import type { StatusEvent } from '@msched/model';
import { recordTransition } from './record-transition';
import { advanceWorkflow as advanceWith } from './workflow/advance';
import { terminateWorkflow as terminateWith } from './workflow/terminate';

// The workflow steps record state changes, and recordTransition calls back into them when a
// workflow's process changes: they take the recorder as a parameter, and these are the versions the
// API uses, bound to it (so no module imports its own caller).

/** Takes a workflow one step further from its committed state (see workflow/advance.ts). */
export function advanceWorkflow(tx: Db, experimentId: string, source: StatusEvent['source']) {
  return advanceWith(tx, experimentId, source, recordTransition);
}

/** terminateExperiment for a WORKFLOW experiment (see workflow/terminate.ts). */
export function terminateWorkflow(tx: Db, experimentId: string, reason: string, source: StatusEvent['source']) {
  return terminateWith(tx, experimentId, reason, source, recordTransition);
}
