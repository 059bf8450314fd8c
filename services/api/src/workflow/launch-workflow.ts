import type { DataSource } from 'typeorm';
import { appendStatus, Db, enqueueOutbox, isRetriableDbError, queryOne, violatedConstraint, withTransaction } from '@msched/db';
import { STATUS_EVENT_TYPE, STATUS_EVENT_VERSION, StatusEvent } from '@msched/model';
import { advanceWorkflow, AppLaunchInfo, StoredSpec } from '@msched/state-recorder';
import { ExperimentModel, HandlerType, Plain, ProcessModel, toPlain } from '@msched/airavata-thrift';
import { InternalFault, InvalidRequest } from '../errors';
import { API_SOURCE, payloadHash } from '../launch/plan';
import type { LaunchOutcome } from '../launch/record-launch';
import type { LaunchPolicy } from '../validation/policy';
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
  const row = await queryOne<{ processId: string; jobId: string }>(tx, `
    SELECT j.process_id AS "processId", j.id AS "jobId" FROM jobs j JOIN workflow_nodes n ON n.process_id = j.process_id
    WHERE j.experiment_id = $1 ORDER BY j.attempt, n.launched_at, n.node_id LIMIT 1`, [experimentId]);
  if (!row) throw new InternalFault(`workflow experiment ${experimentId} started no application`, false);
  return row;
}

/**
 * Records a validated WORKFLOW experiment in one transaction: the experiment, one process per
 * application, the workflow and its nodes, their first statuses, and (through advanceWorkflow, the
 * same code every later step uses) the jobs and launch messages of the applications that can start
 * at once. Idempotent on experimentId like single launches.
 */
export async function launchWorkflow(ds: DataSource, e: ExperimentModel, policy: LaunchPolicy, now: Date): Promise<LaunchOutcome> {
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
      const created = await queryOne<{ id: string }>(tx, `
        INSERT INTO experiments (id, gateway_id, user_name, project_id, name, payload_hash, model, state)
        VALUES ($1, $2, $3, $4, $5, $6, $7, 'LAUNCHED') ON CONFLICT (id) DO NOTHING RETURNING id`,
      [experimentId, e.gatewayId, e.userName, e.projectId, e.experimentName, hash, JSON.stringify(toPlain(e))]);
      if (!created) {
        const earlier = await queryOne<{ hash: string }>(tx, 'SELECT payload_hash AS hash FROM experiments WHERE id = $1', [experimentId]);
        if (earlier?.hash !== hash) throw new InvalidRequest(`experiment "${experimentId}" was already launched with a different ExperimentModel; a repeated launch must send the same one`);
        return { experimentId, ...(await firstStarted(tx, experimentId)), created: false };
      }
      await emitStatus(tx, e, 'experiment', experimentId, 'CREATED', 'received by the meta-scheduler');
      await emitStatus(tx, e, 'experiment', experimentId, 'LAUNCHED', `accepted as workflow ${wf.id} of ${apps.length} applications (failure policy ${failurePolicy})`, 'CREATED');
      await tx.query(`INSERT INTO workflows (experiment_id, workflow_id, state, failure_policy, spec, model) VALUES ($1, $2, 'CREATED', $3, $4, $5)`,
        [experimentId, wf.id, failurePolicy, JSON.stringify(stored), JSON.stringify(toPlain(wf))]);
      await tx.query(`INSERT INTO status_history (entity_type, entity_id, experiment_id, state, reason, source) VALUES ('workflow', $1, $2, 'CREATED', $3, $4)`,
        [wf.id, experimentId, `failure policy ${failurePolicy}`, API_SOURCE]);
      for (const [i, a] of apps.entries()) {
        const pm = applicationProcess(e, i, now.getTime());
        await tx.query(`INSERT INTO processes (id, experiment_id, state, resource_schedule, application_interface_id, application_deployment_id, compute_resource_id, experiment_data_dir, model)
          VALUES ($1, $2, 'CREATED', $3, $4, $5, $6, $7, $8)`,
        [pm.processId, experimentId, JSON.stringify(pm.processResourceSchedule ?? {}), pm.applicationInterfaceId || null, pm.applicationDeploymentId || null,
          pm.computeResourceId, pm.experimentDataDir || null, JSON.stringify(pm)]);
        await emitStatus(tx, e, 'process', pm.processId as string, 'CREATED', `workflow application ${a.id}`);
        await tx.query(`INSERT INTO workflow_nodes (experiment_id, node_id, kind, process_id, state) VALUES ($1, $2, 'APPLICATION', $3, 'CREATED')`, [experimentId, a.id, pm.processId]);
      }
      for (const h of wf.handlers ?? []) {
        // A starter's values are known now: it has done its work as soon as the workflow exists.
        const starter = h.type === HandlerType.FLOW_STARTER;
        await tx.query(`INSERT INTO workflow_nodes (experiment_id, node_id, kind, state, data, ended_at) VALUES ($1, $2, 'HANDLER', $3, $4, CASE WHEN $3 = 'COMPLETED' THEN now() END)`,
          [experimentId, h.id, starter ? 'COMPLETED' : 'CREATED', JSON.stringify({ outputs: toPlain(h.outputs ?? []), inputs: toPlain(h.inputs ?? []) })]);
      }
      await advanceWorkflow(tx, experimentId, API_SOURCE);
      return { experimentId, ...(await firstStarted(tx, experimentId)), created: true };
    });
  } catch (err) {
    if (err instanceof InvalidRequest || err instanceof InternalFault) throw err;
    if (violatedConstraint(err) === 'processes_pkey') throw new InvalidRequest('a processId of the workflow\'s applications already belongs to another experiment');
    throw new InternalFault(`recording the workflow launch failed: ${(err as Error).message}`, isRetriableDbError(err), err);
  }
}

