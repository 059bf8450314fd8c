/*
 * Airavata's status enums and status structs (develop line). Enums count from 0 in declaration order,
 * as Airavata's do (no explicit values there either).
 */
namespace java org.apache.airavata.model.status
namespace py airavata.model.status

enum ExperimentState {
  CREATED,
  VALIDATED,
  SCHEDULED,
  LAUNCHED,
  EXECUTING,
  CANCELING,
  CANCELED,
  COMPLETED,
  FAILED
}

enum TaskState {
  CREATED,
  EXECUTING,
  COMPLETED,
  FAILED,
  CANCELED
}

enum ProcessState {
  CREATED,
  VALIDATED,
  STARTED,
  PRE_PROCESSING,
  CONFIGURING_WORKSPACE,
  INPUT_DATA_STAGING,
  EXECUTING,
  MONITORING,
  OUTPUT_DATA_STAGING,
  POST_PROCESSING,
  COMPLETED,
  FAILED,
  CANCELLING,
  CANCELED,
  QUEUED,
  DEQUEUING,
  REQUEUED
}

enum JobState {
  SUBMITTED,
  QUEUED,
  ACTIVE,
  COMPLETE,
  CANCELED,
  FAILED,
  SUSPENDED,
  UNKNOWN,
  NON_CRITICAL_FAIL
}

struct ExperimentStatus {
  1: required ExperimentState state,
  2: optional i64 timeOfStateChange,
  3: optional string reason,
  4: optional string statusId
}

struct ProcessStatus {
  1: required ProcessState state,
  2: optional i64 timeOfStateChange,
  3: optional string reason,
  4: optional string statusId,
  5: optional string processId
}

struct TaskStatus {
  1: required TaskState state,
  2: optional i64 timeOfStateChange,
  3: optional string reason,
  4: optional string statusId
}

struct JobStatus {
  1: required JobState jobState,
  2: optional i64 timeOfStateChange,
  3: optional string reason,
  4: optional string statusId
}
