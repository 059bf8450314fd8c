import { markWorkflowTerminating, type Db } from '@msched/db';
import type { StatusEvent } from '@msched/model';
import type { RecordTransition } from '../transition-request';
import { advanceWorkflow } from './advance';
import { setWorkflowEntityState } from './node-state';
import { lockWorkflow } from './store';

/**
 * terminateExperiment for a WORKFLOW experiment, in the caller's transaction: the experiment goes
 * CANCELING, the workflow is marked terminating and advanced, which cancels every running
 * application and skips the ones not started. Returns undefined when the experiment is no workflow.
 */
export async function terminateWorkflow(
  tx: Db, experimentId: string, reason: string, source: StatusEvent['source'], record: RecordTransition,
): Promise<{ requested: boolean } | undefined> {
  const w = await lockWorkflow(tx, experimentId);
  if (!w) return undefined;
  if (w.terminating) return { requested: false };
  const s = { gatewayId: w.gatewayId, experimentId, workflowId: w.workflowId };
  await record(tx, { entity: 'experiment', id: experimentId, to: 'CANCELING', reason, source, subject: s });
  await markWorkflowTerminating(tx, experimentId);
  await setWorkflowEntityState(tx, 'workflow', s, 'CANCELING', source, { reason });
  await advanceWorkflow(tx, experimentId, source, record);
  return { requested: true };
}
