import type { DataSource } from 'typeorm';
import {
  appendStatus, appendWorkflowStatus, Db, enqueueOutbox, experimentPayloadHash, firstStartedApplication, insertApplicationNode, insertHandlerNode,
  insertWorkflow, insertWorkflowExperiment, insertWorkflowProcess, isRetriableDbError, violatedConstraint, withTransaction,
} from '@msched/db';
import { STATUS_EVENT_TYPE, STATUS_EVENT_VERSION, StatusEvent } from '@msched/model';
import { advanceWorkflow, AppLaunchInfo, setWorkflowEntityState, StoredSpec } from '@msched/state-recorder';
import { ExperimentModel, HandlerType, Plain, ProcessModel, toPlain } from '@msched/airavata-thrift';
import { InternalFault, InvalidRequest, QuotaExceeded } from '../errors';
import { API_SOURCE, payloadHash } from '../launch/plan';
import type { LaunchOutcome } from '../launch/record-launch';
import type { LaunchPolicy } from '../validation/policy';
import { checkWaitingQuota } from '../launch/waiting-quota';
import { applicationSchedule, DEFAULT_FAILURE_POLICY, failurePolicyOf, processOf, workflowSpec } from './to-spec';

/** The ProcessModel an application runs with: the one the client sent, with the application's ids and schedule. */
function applicationProcess(e: ExperimentModel, appIndex: number, nowMs: number): Plain<ProcessModel> {
  const app = e.workflow!.applications![appIndex];
  const given = toPlain(processOf(e, app) ?? new ProcessModel({ processId: app.processId as string, experimentId: e.experimentId as string }));
  const schedule = toPlain(applicationSchedule(e, app));
  return JSON.parse(JSON.stringify({
    ...given,
    processId: app.processId, experimentId: e.experimentId, creationTime: given.creationTime ?? nowMs, lastUpdateTime: nowMs,
    applicationInterfaceId: app.applicationInterfaceId || given.applicationInterfaceId,
    computeResourceId: schedule.resourceHostId, processResourceSchedule: schedule, userName: e.userName,
    experimentDataDir: given.experimentDataDir ?? e.userConfigurationData?.experimentDataDir ?? undefined,
  })) as Plain<ProcessModel>;
}

async function emitStatus(tx: Db, e: ExperimentModel, entity: 'experiment' | 'process', id: string, state: string, reason: string, previousState?: string): Promise<void> {
  const experimentId = e.experimentId as string;
  await appendStatus(tx, { entityType: entity, entityId: id, experimentId, state, reason, source: API_SOURCE });
  const event: StatusEvent = {
    entity, state, ...(previousState ? { previousState } : {}), reason, gatewayId: e.gatewayId, experimentId,
    ...(entity === 'process' ? { processId: id } : {}), source: API_SOURCE, time: new Date().toISOString(),
  };
  await enqueueOutbox(tx, { topic: 'events', key: experimentId, type: STATUS_EVENT_TYPE, version: STATUS_EVENT_VERSION, payload: event });
}

/** The ids a workflow launch reports: the first application started and its first job. */
async function firstStarted(tx: Db, experimentId: string): Promise<{ processId: string; jobId: string }> {
  const row = await firstStartedApplication(tx, experimentId);
  if (!row) throw new InternalFault(`workflow experiment ${experimentId} started no application`, false);
  return row;
}

/**
 * Records a validated WORKFLOW experiment in one transaction: the experiment, one process per
 * application, the workflow and its nodes, their first statuses, and (through advanceWorkflow, the
 * same code every later step uses) the jobs and launch messages of the applications that can start
 * at once. Idempotent on experimentId like single launches.
 */
export async function launchWorkflow(ds: DataSource, e: ExperimentModel, policy: LaunchPolicy, now: Date, maxWaitingGangs?: number): Promise<LaunchOutcome> {
  const experimentId = e.experimentId as string;
  const hash = payloadHash(e);
  const spec = workflowSpec(e);
  const fp = failurePolicyOf(e);
  const failurePolicy = 'policy' in fp ? fp.policy : DEFAULT_FAILURE_POLICY;
  const wf = e.workflow!;
  const apps = wf.applications ?? [];
  const launch: Record<string, AppLaunchInfo> = {};
  apps.forEach((a) => {
    const s = applicationSchedule(e, a);
    launch[a.id] = { computeResourceId: s.resourceHostId as string, queueName: s.queueName as string, role: policy.queueRoles[s.queueName as string] };
  });
  const stored: StoredSpec = { ...spec, launch };
  try {
    return await withTransaction(ds, async (tx) => {
      if (maxWaitingGangs !== undefined) await checkWaitingQuota(tx, { gatewayId: e.gatewayId, experimentId, maxWaitingGangs });
      const created = await insertWorkflowExperiment(tx, {
        id: experimentId, gatewayId: e.gatewayId, userName: e.userName, projectId: e.projectId, name: e.experimentName, payloadHash: hash, model: toPlain(e),
      });
      if (!created) {
        if (await experimentPayloadHash(tx, experimentId) !== hash) throw new InvalidRequest(`experiment "${experimentId}" was already launched with a different ExperimentModel; a repeated launch must send the same one`);
        return { experimentId, ...(await firstStarted(tx, experimentId)), created: false };
      }
      await emitStatus(tx, e, 'experiment', experimentId, 'CREATED', 'received by the meta-scheduler');
      await emitStatus(tx, e, 'experiment', experimentId, 'LAUNCHED', `accepted as workflow ${wf.id} of ${apps.length} applications (failure policy ${failurePolicy})`, 'CREATED');
      await insertWorkflow(tx, { experimentId, workflowId: wf.id as string, failurePolicy, spec: stored, model: toPlain(wf) });
      await appendWorkflowStatus(tx, { entityType: 'workflow', entityId: wf.id as string, experimentId, state: 'CREATED', reason: `failure policy ${failurePolicy}`, source: API_SOURCE });
      for (const [i, a] of apps.entries()) {
        const pm = applicationProcess(e, i, now.getTime());
        await insertWorkflowProcess(tx, {
          id: pm.processId as string, experimentId, resourceSchedule: pm.processResourceSchedule ?? {}, applicationInterfaceId: pm.applicationInterfaceId || null,
          applicationDeploymentId: pm.applicationDeploymentId || null, computeResourceId: pm.computeResourceId, experimentDataDir: pm.experimentDataDir || null, model: pm,
        });
        await emitStatus(tx, e, 'process', pm.processId as string, 'CREATED', `workflow application ${a.id}`);
        await insertApplicationNode(tx, experimentId, a.id, pm.processId as string);
      }
      const subject = { gatewayId: e.gatewayId, experimentId, workflowId: wf.id as string };
      for (const h of wf.handlers ?? []) {
        await insertHandlerNode(tx, experimentId, h.id, 'CREATED', { outputs: toPlain(h.outputs ?? []), inputs: toPlain(h.inputs ?? []) });
        // A starter's values are known now: it has done its work as soon as the workflow exists
        // (recorded as a change, so its history row and status event exist like every node's).
        if (h.type === HandlerType.FLOW_STARTER) {
          await setWorkflowEntityState(tx, 'handler', subject, 'COMPLETED', API_SOURCE, { nodeId: h.id, reason: 'its outputs, the workflow\'s inputs, were given at launch' });
        }
      }
      await advanceWorkflow(tx, experimentId, API_SOURCE);
      return { experimentId, ...(await firstStarted(tx, experimentId)), created: true };
    });
  } catch (err) {
    if (err instanceof InvalidRequest || err instanceof InternalFault || err instanceof QuotaExceeded) throw err;
    if (violatedConstraint(err) === 'processes_pkey') throw new InvalidRequest('a processId of the workflow\'s applications already belongs to another experiment');
    throw new InternalFault(`recording the workflow launch failed: ${(err as Error).message}`, isRetriableDbError(err), err);
  }
}

