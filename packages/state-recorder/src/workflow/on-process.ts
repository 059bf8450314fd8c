import { nodeOfProcess, type Db } from '@msched/db';
import type { StatusEvent } from '@msched/model';
import { APPLICATION_TERMINAL, applicationStateForProcess } from '@msched/workflow';
import type { RecordTransition } from '../transition-request';
import { advanceWorkflow } from './advance';
import { setWorkflowEntityState } from './node-state';
import { lockWorkflow } from './store';

/**
 * A process of a WORKFLOW experiment changed state (called by recordTransition in the same
 * transaction). Its application follows; when the application ended, the workflow advances in
 * this very transaction (successors start, the failure policy applies, the experiment ends).
 * Returns false for a process that is not part of a workflow: the caller then derives the
 * experiment's state the single-application way.
 */
export async function onWorkflowProcessChange(
  tx: Db, processId: string, to: string, reason: string | undefined, source: StatusEvent['source'], record: RecordTransition,
): Promise<boolean> {
  const node = await nodeOfProcess(tx, processId);
  if (!node) return false;
  const appState = applicationStateForProcess(to);
  if (!appState) return true;
  const w = await lockWorkflow(tx, node.experimentId);
  if (!w) return true;
  const s = { gatewayId: w.gatewayId, experimentId: w.experimentId, workflowId: w.workflowId };
  const changed = await setWorkflowEntityState(tx, 'application', s, appState, source, { nodeId: node.nodeId, processId, reason });
  if (!changed) return true;
  if (appState === 'EXECUTING' && !w.terminating) {
    if (w.state !== 'EXECUTING') await setWorkflowEntityState(tx, 'workflow', s, 'EXECUTING', source);
    if (w.experimentState === 'LAUNCHED' || w.experimentState === 'SCHEDULED') {
      await record(tx, { entity: 'experiment', id: w.experimentId, to: 'EXECUTING', reason: `application ${node.nodeId} is executing`, source, subject: s });
    }
  }
  if (APPLICATION_TERMINAL.has(appState)) await advanceWorkflow(tx, w.experimentId, source, record);
  return true;
}
