import { createHash } from 'node:crypto';
import { makeEnvelope } from '@msched/bus';
import type { NewLaunch } from '@msched/db';
import { LAUNCH_ACCEPTED_TYPE, LAUNCH_ACCEPTED_VERSION, STATUS_EVENT_TYPE, STATUS_EVENT_VERSION, type LaunchAccepted, StatusEvent } from '@msched/model';
import {
  canonicalJson, DEFAULT_ID, ExperimentModel, Plain, ProcessModel, toPlain,
} from '@msched/airavata-thrift';
import type { LaunchPolicy } from '../validation/policy';
import { effectiveSchedule } from '../validation/schedule';
import type { IdSource } from './ids';

export const API_SOURCE = 'api';

export interface LaunchPlan {
  launch: NewLaunch;
  ids: { experimentId: string; processId: string; jobId: string };
  payloadHash: string;
}

/** sha256 of the experiment's canonical JSON: equal payloads, equal hash, whatever the key order. */
export function payloadHash(e: ExperimentModel): string {
  return createHash('sha256').update(canonicalJson(toPlain(e))).digest('hex');
}

function nonEmpty(v: string | null | undefined): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * The ProcessModel we run: what the experiment says, overlaid with the ProcessModel the client sent
 * (if any), with our ids and the schedule in force.
 */
function processModel(e: Plain<ExperimentModel>, given: Plain<ProcessModel> | undefined, processId: string, nowMs: number): Plain<ProcessModel> {
  const u = e.userConfigurationData ?? {};
  const derived: Plain<ProcessModel> = {
    creationTime: nowMs,
    lastUpdateTime: nowMs,
    applicationInterfaceId: e.executionId,
    computeResourceId: u.computationalResourceScheduling?.resourceHostId,
    processInputs: e.experimentInputs,
    processOutputs: e.experimentOutputs,
    processResourceSchedule: u.computationalResourceScheduling,
    gatewayExecutionId: e.gatewayExecutionId,
    enableEmailNotification: e.enableEmailNotification,
    emailAddresses: e.emailAddresses,
    inputStorageResourceId: u.inputStorageResourceId,
    outputStorageResourceId: u.outputStorageResourceId,
    userDn: u.userDN,
    generateCert: u.generateCert,
    experimentDataDir: u.experimentDataDir,
    userName: e.userName,
    useUserCRPref: u.useUserCRPref,
    groupResourceProfileId: u.groupResourceProfileId,
  };
  const merged = { ...derived, ...(given ?? {}) };
  merged.processId = processId;
  merged.experimentId = e.experimentId;
  merged.processResourceSchedule = given?.processResourceSchedule ?? derived.processResourceSchedule;
  merged.computeResourceId = merged.processResourceSchedule?.resourceHostId ?? merged.computeResourceId;
  return JSON.parse(JSON.stringify(merged)) as Plain<ProcessModel>;
}

/**
 * Turns a validated experiment into everything its launch writes: rows, first statuses, the launch
 * message and one status event per status row. Pure: ids and time come from the caller.
 */
export function planLaunch(e: ExperimentModel, policy: LaunchPolicy, ids: IdSource, now: Date): LaunchPlan {
  const plain = toPlain(e);
  const experimentId = e.experimentId as string;
  const gatewayId = e.gatewayId;
  const given = e.processes?.length === 1 && e.processes[0] ? toPlain(e.processes[0]) : undefined;
  const processId = given?.processId && given.processId !== DEFAULT_ID ? given.processId : ids.processId();
  const jobId = ids.jobId();
  const taskId = ids.taskId();
  const schedule = effectiveSchedule(e);
  const queueName = schedule?.queueName as string;
  const computeResourceId = schedule?.resourceHostId as string;
  const role = policy.queueRoles[queueName];
  const process = processModel(plain, given, processId, now.getTime());
  const hash = payloadHash(e);

  const statuses: NewLaunch['statuses'] = [
    { entityType: 'experiment', entityId: experimentId, experimentId, state: 'CREATED', reason: 'received by the meta-scheduler', source: API_SOURCE },
    { entityType: 'experiment', entityId: experimentId, experimentId, state: 'LAUNCHED', reason: `accepted for ${computeResourceId}, queue ${queueName} (Mesos role ${role})`, source: API_SOURCE },
    { entityType: 'process', entityId: processId, experimentId, state: 'CREATED', reason: 'one process per experiment', source: API_SOURCE },
    { entityType: 'job', entityId: jobId, experimentId, state: 'SUBMITTED', reason: 'attempt 1, waiting for provisioning', source: API_SOURCE },
  ];
  const time = now.toISOString();
  const previous: Record<string, string> = {};
  const statusEvents = statuses.map((s) => {
    const event: StatusEvent = {
      entity: s.entityType,
      state: s.state,
      ...(previous[s.entityId] ? { previousState: previous[s.entityId] } : {}),
      ...(s.reason ? { reason: s.reason } : {}),
      gatewayId,
      experimentId,
      ...(s.entityType !== 'experiment' ? { processId } : {}),
      ...(s.entityType === 'job' ? { taskId, jobId, jobName: jobId } : {}),
      source: API_SOURCE,
      time,
    };
    previous[s.entityId] = s.state;
    return { topic: 'events' as const, key: experimentId, envelope: makeEnvelope(STATUS_EVENT_TYPE, event, { version: STATUS_EVENT_VERSION, time: now }) };
  });
  const accepted: LaunchAccepted = {
    experimentId, processId, jobId, taskId, attempt: 1, gatewayId, userName: e.userName, computeResourceId, queueName, role,
    experiment: plain, process,
  };
  const launchMessage = { topic: 'launch' as const, key: experimentId, envelope: makeEnvelope(LAUNCH_ACCEPTED_TYPE, accepted, { version: LAUNCH_ACCEPTED_VERSION, time: now }) };

  return {
    payloadHash: hash,
    ids: { experimentId, processId, jobId },
    launch: {
      experiment: { id: experimentId, gatewayId, userName: e.userName, projectId: e.projectId, name: e.experimentName, payloadHash: hash, model: plain, state: 'LAUNCHED' },
      process: {
        id: processId, state: 'CREATED', resourceSchedule: process.processResourceSchedule ?? {},
        applicationInterfaceId: nonEmpty(process.applicationInterfaceId), applicationDeploymentId: nonEmpty(process.applicationDeploymentId),
        computeResourceId, experimentDataDir: nonEmpty(process.experimentDataDir), model: process,
      },
      job: { id: jobId, taskId, state: 'SUBMITTED', reason: null },
      statuses,
      outbox: [launchMessage, ...statusEvents],
    },
  };
}
