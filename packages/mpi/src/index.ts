/**
 * @msched/mpi: everything that runs inside the Mesos tasks of a placed gang, and the pure builders
 * the dispatcher and the provisioner call. See README.md for the contracts.
 */
export { buildGangTaskCommand, localRunner, runnerFromConfig, runtimeUri, RUNTIME_FILE } from './task-command';
export type { FetchedRuntime, GangTaskCommand, GangTaskJob, GangTaskPlacement, GangTaskSettings, RunnerLocation } from './task-command';
export { buildApplicationArgv, standardInputOf, uriFileName, ApplicationInputError } from './app-argv';
export type { ApplicationInput, InputDataType, StagedName } from './app-argv';
export { rendezvousPath, gangPaths } from './rendezvous-layout';
export type { GangPaths } from './rendezvous-layout';
export { RESULT_MARKER, RESULT_FILE, findResultLine, decideResult, decideSerialResult, gangFailure, firstFailedRank, blamesOnlyTeardown } from './result';
export type { GangResult, GangFailureReason, Abort, RunOutcome } from './result';
export { EXIT, exitCodeOf } from './exit-codes';
export { GANG_ENV, MESOS_ENV, TAG_VARIABLE, parseGangTaskEnv, GangEnvError } from './env-contract';
export type { GangTaskEnv, GangMember, JobIds, MpiOptions } from './env-contract';
export { renderHostfile, checkHosts, hostOfRank, HostfileError } from './hostfile';
export { findMpiAbort, AbortScanner } from './abort-scanner';
export type { MpiAbort } from './abort-scanner';
export type { HostSlots } from './hostfile';
export { buildLaunchCommand } from './launch-command';
export { oversubscribedMachines } from './oversubscription';
export { renderRankSpec, RANK_SPEC_VARIABLE } from './rank-spec';
export type { OversubscribedMachine } from './oversubscription';
export type { LaunchPlan, LaunchCommand } from './launch-command';
export { tokenizeCommand, CommandSyntaxError } from './command-tokenizer';
export { parseRemoteShellArgs, RemoteShellUsageError } from './remote-shell-args';
export { isMpiDaemon, MPI_DAEMONS } from './daemon-allowlist';
export { rankIdentityOf, applicationEnv, jobVariables, sharedRankEntries } from './rank-env';
export type { RankIdentity } from './rank-env';
export { parseMemberRecord, parseDaemonRequest, parseDaemonExit, parseRankExit, RecordError } from './records';
export type { MemberRecord, DaemonRequest, DaemonExit, RankExit } from './records';
export { taggedPids, endTagged } from './io/proc-tag';
export { createScratch, scratchPath, sweepOrphanedScratch } from './io/scratch';
export { readGangResult, removeJobRendezvous } from './io/rendezvous';
export { writeRankSpec } from './io/rank-spec-file';
export { RemoteShellServer } from './io/remote-shell-server';
export { GangZk, ZkUnavailable } from './io/gang-zk';
export type { GangZkOptions } from './io/gang-zk';
export { encodeRequest, encodeExit, encodeMessage, RequestDecoder, RemoteShellProtocolError, REMOTE_SHELL_SOCKET_VARIABLE } from './remote-shell-protocol';
export { isRankWrapperProcess, rankCommandOf } from './runtime/task-programs';
export type { TaskPrograms } from './runtime/task-programs';
