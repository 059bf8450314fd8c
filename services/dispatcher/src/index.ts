/**
 * @msched/dispatcher: the Mesos dispatch worker.
 *
 * - intake/     Kafka (dispatch, cancel) → database, on every replica; wakes the leader
 * - election/   the dispatcher election in ZooKeeper
 * - framework/  the Mesos framework run by the leader (Leader), its settings and event queue
 * - launch/     placed gang → task rows → one ACCEPT per agent
 * - status/     one gang event in one transaction: task update, gang state machine, job/process
 *               states, next attempt, JobEnded
 * - policy/     job rows ↔ the offer policy's waiting and running gangs
 * - reconcile/  explicit (with backoff, until answered) and implicit reconciliation
 * - timers/     wall-time deadlines, kill retries, periodic work
 * - store/      one function per query
 * - service/    startDispatcher: one replica with its relay, intake, election and health server
 */
export { startDispatcher } from './service/start-dispatcher';
export type { DispatcherHandle, DispatcherOptions } from './service/start-dispatcher';
export { Leader } from './framework/leader';
export { mesosLink, MesosLinkConfigError } from './framework/mesos-link';
export { readTestFaults, ACK_BEFORE_WRITE_VAR } from './framework/test-faults';
export type { TestFaults } from './framework/test-faults';
export { electionPath, Leadership } from './election/leadership';
export { frameworkRoles, frameworkSettings } from './framework/framework-settings';
export { actionForFrameworkError } from './framework/framework-error';
export { judgeUpdate, progressOf, isTerminalState } from './status/task-order';
export type { UpdateVerdict } from './status/task-order';
export { refineOutcome } from './status/refine-outcome';
export type { RecordedOutcome } from './status/refine-outcome';
export { exitCodeFromMessage } from './status/exit-code';
export { nextJobId } from './status/next-job-id';
export { jobEndedMessage, launcherOf } from './status/job-ended';
export { outcomeOfJob, restoreGangFate } from './status/restore-fate';
export { buildGangTasks, taskIdOf } from './launch/build-gang-tasks';
export { containerInfoOf } from './launch/container-info';
export type { ContainerInfo } from './launch/container-info';
export { readRuntimeBuild, RuntimeBuildError } from './runtime/runtime-build';
export { startRuntimeServer } from './runtime/runtime-server';
export { taskRunner } from './runtime/provide-runtime';
export { queueSyncEvents } from './policy/queue-sync';
export { waitingGangOf, runningGangOf } from './policy/gangs-from-rows';
export { ReconcileTracker } from './reconcile/reconcile-tracker';
export { KillRetry } from './timers/kill-retry';
export { parseTaskSandboxes } from '@msched/mesos';
export { parseGangReady, parseCancelRequest, InvalidMessageError } from './intake/messages';
export { DISPATCHER_CHANNEL } from './intake/wake';
export type { JobRow, TaskRow } from './store/rows';
export { runGangTransaction } from './status/gang-transaction';
export type { GangInput, GangTxResult } from './status/gang-transaction';
export { SerialQueue } from './framework/serial-queue';
export { handleGangReady } from './intake/gang-ready';
export { handleCancel } from './intake/cancel';
export { parseAgentSandboxes, agentAddress, fetchTaskSandboxes } from '@msched/mesos';
export { formatExpectedStart, needsSave, reasonKey, shouldAnnounce, startReason } from './policy/start-estimates';
export type { Announced, SavedEstimate } from './policy/start-estimates';
export { schedulingPolicyConfig } from './policy/scheduling-config';
export { tenantUsage } from './store/tenant-usage';
export { WaitEstimates } from './framework/estimates';
