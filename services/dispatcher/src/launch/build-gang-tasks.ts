import type { AgentLaunch } from '@msched/gang';
import type { CommandUri, TaskInfo } from '@msched/mesos';
import type { GangSpec } from '@msched/model';
import { buildGangTaskCommand, type FetchedRuntime, type GangTaskSettings, type RunnerLocation } from '@msched/mpi';
import type { NewTaskRow } from '../store/insert-tasks';
import { containerInfoOf } from './container-info';

/** The ids of the attempt being launched. */
export interface LaunchJob {
  readonly id: string;
  readonly processId: string;
  readonly experimentId: string;
  readonly gatewayId: string;
  readonly attempt: number;
}

/** One task of a placed gang: its row, its TaskInfo, and the offers its ACCEPT uses. */
export interface PlannedTask {
  readonly row: NewTaskRow;
  readonly info: TaskInfo;
  readonly agentId: string;
  readonly hostname: string;
  readonly offerIds: readonly string[];
}

export interface TaskBuildSettings {
  readonly gang: GangTaskSettings;
  /** The fetched runtime (normal), or the task programs installed on every agent. */
  readonly runner?: RunnerLocation | FetchedRuntime;
  /** Mesos' grace between SIGTERM and SIGKILL on a KILL; longer than the task's own (it ends MPI first). */
  readonly killGraceMs: number;
}

/** Mesos task ids: `<jobId>.<index>`; index 0 runs the MPI launcher (or the serial program). */
export function taskIdOf(jobId: string, index: number): string {
  return `${jobId}.${index}`;
}

function ranksText(ranks: readonly number[]): string {
  return ranks.length === 1 ? `rank ${ranks[0]}` : `ranks ${ranks[0]}-${ranks[ranks.length - 1]}`;
}

function uriOf(u: GangSpec['app']['uris'][number]): CommandUri {
  return {
    value: u.value,
    ...(u.extract !== undefined ? { extract: u.extract } : {}),
    ...(u.executable !== undefined ? { executable: u.executable } : {}),
    ...(u.outputFile !== undefined ? { output_file: u.outputFile } : {}),
  };
}

/** The runtime (if fetched) comes first, then the application's inputs. */
function withUris<C extends { uris?: readonly CommandUri[] }>(command: C, inputs: CommandUri[]): C {
  const uris = [...(command.uris ?? []), ...inputs];
  const { uris: _ignored, ...rest } = command;
  return (uris.length ? { ...rest, uris } : rest) as C;
}

/**
 * One TaskInfo per agent of a placement: the resources cut from that agent's offers, the gang task
 * program (packages/mpi) as a shell-free command, the inputs as URIs. Pure; throws (GangEnvError
 * and friends, naming every problem) when the command could not start.
 */
export function buildGangTasks(job: LaunchJob, spec: GangSpec, agents: readonly AgentLaunch[], s: TaskBuildSettings): PlannedTask[] {
  const argv = [spec.app.executable, ...spec.app.args];
  return agents.map((a, index) => {
    const taskId = taskIdOf(job.id, index);
    const command = buildGangTaskCommand(
      {
        jobId: job.id, processId: job.processId, experimentId: job.experimentId, gatewayId: job.gatewayId, attempt: job.attempt,
        ranks: spec.ranks, wallTimeSeconds: spec.wallTimeSeconds, flavour: spec.app.mpi, argv, env: spec.app.env,
      },
      { index, memberCount: agents.length, slots: a.ranks.length, ...(a.ports.length ? { port: a.ports[0] } : {}), hostname: a.hostname, agentId: a.agentId, taskId },
      s.gang,
      s.runner,
    );
    const info: TaskInfo = {
      name: `${job.id} task ${index} (${ranksText(a.ranks)})`,
      task_id: { value: taskId },
      agent_id: { value: a.agentId },
      resources: a.resources,
      command: withUris(command, spec.app.uris.map(uriOf)),
      ...(spec.app.container ? { container: containerInfoOf(spec.app.container) } : {}),
      kill_policy: { grace_period: { nanoseconds: s.killGraceMs * 1_000_000 } },
      labels: {
        labels: [
          { key: 'msched.experiment', value: job.experimentId },
          { key: 'msched.process', value: job.processId },
          { key: 'msched.job', value: job.id },
          { key: 'msched.attempt', value: String(job.attempt) },
          { key: 'msched.ranks', value: a.ranks.join(',') },
        ],
      },
    };
    return {
      row: { id: taskId, jobId: job.id, agentId: a.agentId, hostname: a.hostname, ranks: a.ranks, taskIndex: index, launcher: index === 0, state: 'TASK_STAGING' },
      info,
      agentId: a.agentId,
      hostname: a.hostname,
      offerIds: a.offerIds,
    };
  });
}
