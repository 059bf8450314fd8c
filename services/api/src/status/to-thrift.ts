import {
  enumValue, ExperimentState, ExperimentStatus, JobModel, JobState, JobStatus, ProcessState, ProcessStatus, toInt64,
} from '@msched/airavata-thrift';
import type { EntityStatus, HistoryEntry, JobRecord } from '@msched/db';

/** Rows of the job database as Airavata's structs. State names are stored, enum values sent. */
export function toExperimentStatus(s: EntityStatus): ExperimentStatus {
  return new ExperimentStatus({
    state: enumValue(ExperimentState, s.state, 'ExperimentState'),
    timeOfStateChange: toInt64(new Date(s.at).getTime()),
    ...(s.reason ? { reason: s.reason } : {}),
    ...(s.statusId ? { statusId: String(s.statusId) } : {}),
  });
}

export function toProcessStatus(s: EntityStatus): ProcessStatus {
  return new ProcessStatus({
    state: enumValue(ProcessState, s.state, 'ProcessState'),
    timeOfStateChange: toInt64(new Date(s.at).getTime()),
    ...(s.reason ? { reason: s.reason } : {}),
    ...(s.statusId ? { statusId: String(s.statusId) } : {}),
    processId: s.entityId,
  });
}

/** What JobModel.jobDescription says: the gang once known, else that it is still being prepared. */
export function jobDescription(j: JobRecord): string {
  if (!j.gangSpec) return `attempt ${j.attempt}: gang not resolved yet`;
  return JSON.stringify(j.gangSpec);
}

export function toJobModel(j: JobRecord, history: readonly HistoryEntry[]): JobModel {
  return new JobModel({
    jobId: j.id,
    taskId: j.taskId,
    processId: j.processId,
    jobDescription: jobDescription(j),
    creationTime: toInt64(new Date(j.createdAt).getTime()),
    jobStatuses: history.map((h) => new JobStatus({
      jobState: enumValue(JobState, h.state, 'JobState'),
      timeOfStateChange: toInt64(new Date(h.at).getTime()),
      ...(h.reason ? { reason: h.reason } : {}),
      statusId: String(h.id),
    })),
    jobName: j.id,
    ...(j.workingDir ? { workingDir: j.workingDir } : {}),
    ...(j.stdOut ? { stdOut: j.stdOut } : {}),
    ...(j.stdErr ? { stdErr: j.stdErr } : {}),
    ...(j.exitCode !== null && j.exitCode !== undefined ? { exitCode: j.exitCode } : {}),
  });
}
