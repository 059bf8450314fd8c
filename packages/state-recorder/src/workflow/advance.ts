import { randomUUID } from 'node:crypto';
import { appendStatus, Db, enqueueOutbox, insertFirstJob, lastJobOf, processModels, setProcessInputs, workflowNodes } from '@msched/db';
import {
  OUTPUTS_EVENT_TYPE, OutputsEvent, STATUS_EVENT_TYPE, STATUS_EVENT_VERSION, StatusEvent,
  CANCEL_REQUESTED_TYPE, CANCEL_REQUESTED_VERSION, type CancelRequested, LAUNCH_ACCEPTED_TYPE, LAUNCH_ACCEPTED_VERSION, type LaunchAccepted,
} from '@msched/model';
import { decideWorkflow, WorkflowDecision } from '@msched/workflow';
import type { RecordTransition } from '../transition-request';
import { setWorkflowEntityState, WorkflowSubject } from './node-state';
import { stagedInputs, outputLocation, DataObject } from './staging';
import { applicationStates, lockWorkflow, NodeRow, WorkflowRow } from './store';

type Source = StatusEvent['source'];

function subjectOf(w: WorkflowRow): WorkflowSubject {
  return { gatewayId: w.gatewayId, experimentId: w.experimentId, workflowId: w.workflowId };
}

/**
 * Takes the workflow one step further from its committed state, inside the caller's transaction:
 * starts every application whose inputs are all available (job attempt 1 + launch message through
 * the outbox), cancels or skips what the failure policy or a terminate says, and ends the workflow
 * and the experiment when every application has ended. Called by the transaction that records an
 * application's end, by the launch and by terminate; the workflow row is locked, so parallel
 * branches ending together decide one after the other. Returns what was decided.
 */
export async function advanceWorkflow(tx: Db, experimentId: string, source: Source, record: RecordTransition): Promise<WorkflowDecision | undefined> {
  const w = await lockWorkflow(tx, experimentId);
  if (!w || ['COMPLETED', 'FAILED', 'CANCELED'].includes(w.state)) return undefined;
  const nodes = await workflowNodes(tx, experimentId);
  const decision = decideWorkflow({ spec: w.spec, applications: applicationStates(nodes), policy: w.policy, terminating: w.terminating });
  const s = subjectOf(w);
  const node = (id: string) => nodes.find((n) => n.nodeId === id) as NodeRow;

  for (const id of decision.skip) {
    const n = node(id);
    const reason = w.terminating ? 'the workflow was terminated before this application started' : 'an application it depends on did not complete, or the failure policy stopped the workflow';
    await setWorkflowEntityState(tx, 'application', s, 'CANCELED', source, { nodeId: id, processId: n.processId ?? undefined, reason });
    if (n.processId) await record(tx, { entity: 'process', id: n.processId, to: 'CANCELED', reason, source, subject: { ...s, processId: n.processId } });
  }
  for (const id of decision.cancel) {
    const n = node(id);
    const reason = w.terminating ? 'the workflow was terminated' : 'another application failed and the failure policy is FAIL_FAST';
    await setWorkflowEntityState(tx, 'application', s, 'CANCELING', source, { nodeId: id, processId: n.processId ?? undefined, reason });
    if (!n.processId) continue;
    await record(tx, { entity: 'process', id: n.processId, to: 'CANCELLING', reason, source, subject: { ...s, processId: n.processId } });
    const job = await lastJobOf(tx, n.processId);
    if (job) await enqueueOutbox(tx, { topic: 'cancel', key: experimentId, type: CANCEL_REQUESTED_TYPE, version: CANCEL_REQUESTED_VERSION,
      payload: { experimentId, processId: n.processId, jobId: job.id, gatewayId: w.gatewayId, reason } satisfies CancelRequested });
  }
  for (const id of decision.launch) await launchApplication(tx, w, nodes, node(id), source);

  if (decision.launch.length && w.state === 'CREATED') await setWorkflowEntityState(tx, 'workflow', s, 'LAUNCHED', source);
  if (decision.finished) await finish(tx, w, nodes, decision.finished, source, record);
  return decision;
}

async function launchApplication(tx: Db, w: WorkflowRow, nodes: readonly NodeRow[], n: NodeRow, source: Source): Promise<void> {
  if (!n.processId) return;
  const processId = n.processId;
  const jobId = `JOB_${randomUUID()}`;
  const taskId = `TASK_${randomUUID()}`;
  const staged = await stagedInputs(tx, w.spec, nodes, n.nodeId, processId);
  await setProcessInputs(tx, processId, staged.inputs);
  // Attempt 1 exists once per process: a second launch of the same application inserts nothing.
  const inserted = await insertFirstJob(tx, { jobId, processId, experimentId: w.experimentId, taskId, reason: `attempt 1 of workflow application ${n.nodeId}, waiting for provisioning` });
  if (!inserted) return;
  await appendStatus(tx, { entityType: 'job', entityId: jobId, experimentId: w.experimentId, state: 'SUBMITTED', reason: 'attempt 1, waiting for provisioning', source });
  const time = new Date().toISOString();
  const jobEvent: StatusEvent = {
    entity: 'job', state: 'SUBMITTED', reason: 'attempt 1, waiting for provisioning', gatewayId: w.gatewayId, experimentId: w.experimentId,
    processId, taskId, jobId, jobName: jobId, source, time,
  };
  await enqueueOutbox(tx, { topic: 'events', key: w.experimentId, type: STATUS_EVENT_TYPE, version: STATUS_EVENT_VERSION, payload: jobEvent });
  const inputs = Object.fromEntries(staged.inputs.filter((i) => i.value !== undefined).map((i) => [i.name, i.value]));
  const reason = staged.missing.length ? `started; inputs without a value: ${staged.missing.join(', ')}` : 'every input is available';
  await setWorkflowEntityState(tx, 'application', subjectOf(w), 'LAUNCHED', source, { nodeId: n.nodeId, processId, reason, data: { inputs, jobId } });
  const accepted = launchMessage(w, n.nodeId, await processModels(tx, processId), { processId, jobId, taskId });
  await enqueueOutbox(tx, { topic: 'launch', key: w.experimentId, type: LAUNCH_ACCEPTED_TYPE, version: LAUNCH_ACCEPTED_VERSION, payload: accepted });
}

/**
 * The launch message of one workflow application. The launch validated each application's target
 * (resource, queue, role) and stored its process model, so a gap here means the rows were damaged
 * afterwards: it fails the transaction with the reason rather than sending the provisioner a
 * message with holes in it.
 */
function launchMessage(
  w: WorkflowRow, nodeId: string, models: { experiment: unknown; process: unknown } | undefined,
  ids: { processId: string; jobId: string; taskId: string },
): LaunchAccepted {
  const info = w.spec.launch[nodeId];
  const missing = [!info && 'its launch target', info && !info.role && 'the Mesos role of its queue', !models && 'its process model'].filter(Boolean);
  if (!info?.role || !models || missing.length) {
    throw new Error(`workflow ${w.experimentId}: application ${nodeId} cannot start: ${missing.join(', ')} missing from the stored workflow`);
  }
  return {
    experimentId: w.experimentId, ...ids, attempt: 1, gatewayId: w.gatewayId, userName: w.userName,
    computeResourceId: info.computeResourceId, queueName: info.queueName, role: info.role,
    // JSON columns written by the launch from the validated Thrift structs.
    experiment: models.experiment as LaunchAccepted['experiment'], process: models.process as LaunchAccepted['process'],
  };
}

async function finish(tx: Db, w: WorkflowRow, nodes: readonly NodeRow[], end: 'COMPLETED' | 'FAILED' | 'CANCELED', source: Source, record: RecordTransition): Promise<void> {
  const s = subjectOf(w);
  const time = new Date().toISOString();
  for (const h of w.spec.handlers.filter((x) => x.type === 'FLOW_TERMINATOR')) {
    const collected: Array<DataObject & { from: string }> = [];
    const bySource = new Map<string, DataObject[]>();
    if (end === 'COMPLETED') {
      for (const c of w.spec.connections.filter((x) => x.toType === 'HANDLER' && x.toId === h.id && x.fromType === 'APPLICATION')) {
        const from = nodes.find((n) => n.nodeId === c.fromId);
        const loc = from?.processId ? await outputLocation(tx, from.processId, c.fromOutputName) : undefined;
        if (!loc?.value || !from?.processId) continue;
        collected.push({ name: c.toInputName, value: loc.value, type: loc.type, from: `${c.fromId}.${c.fromOutputName}` });
        bySource.set(from.processId, [...(bySource.get(from.processId) ?? []), { name: c.toInputName, value: loc.value, type: loc.type }]);
      }
    }
    await setWorkflowEntityState(tx, 'handler', s, end === 'COMPLETED' ? 'COMPLETED' : 'CANCELED', source, { nodeId: h.id, data: { inputs: collected } });
    // The workflow's outputs, reported like any process's outputs (TaskOutputChangeEvent downstream).
    for (const [processId, outputs] of bySource) {
      const job = await lastJobOf(tx, processId);
      if (!job) continue;
      const event: OutputsEvent = {
        gatewayId: w.gatewayId, experimentId: w.experimentId, processId, taskId: job.taskId, time,
        outputs: outputs.map((o) => ({ name: o.name, value: o.value as string, type: o.type === 3 ? 'URI' : 'STRING' })),
      };
      await enqueueOutbox(tx, { topic: 'events', key: w.experimentId, type: OUTPUTS_EVENT_TYPE, payload: event });
    }
  }
  await setWorkflowEntityState(tx, 'workflow', s, end, source, { reason: end === 'COMPLETED' ? 'every application completed' : undefined });
  await record(tx, { entity: 'experiment', id: w.experimentId, to: end, reason: `workflow ${w.workflowId} ${end}`, source, subject: s });
}
